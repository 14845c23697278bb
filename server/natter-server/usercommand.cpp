// SPDX-License-Identifier: GPL-3.0-or-later
#include "usercommand.h"
#include "intoption.h"
#include "passwordprompt.h"
#include "redisuserstore.h"
#include "userstore.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QStandardPaths>

#include <cstdio>
#include <memory>

namespace {

int failWith(const QString &message, int code = 1)
{
    std::fprintf(stderr, "natter-server: %s\n", qPrintable(message));
    return code;
}

QString quoted(const QString &name)
{
    return QLatin1Char('\'') + name + QLatin1Char('\'');
}

} // namespace

namespace UserCommand {

QString defaultDataDir()
{
    // systemd may list several directories, separated by colons; ours is the only one.
    const QString state = qEnvironmentVariable("STATE_DIRECTORY").section(QLatin1Char(':'), 0, 0);
    if (!state.isEmpty())
        return state;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Manages the users of accounts mode, in users.sqlite in the data directory, or\n"
                       "with --redis in the Redis that the nodes of a cluster share.\n"
                       "  user add NAME      add a user; the password is read from the terminal\n"
                       "                     (twice, not shown) or as one line from standard input\n"
                       "  user passwd NAME   set a new password; the user's sessions end\n"
                       "  user remove NAME   remove a user and end their sessions\n"
                       "  user list          print each user's name and when it was added\n"
                       "Names differing only in case or width (\"Ana\", \"ANA\", \"ＡＮＡ\") are one user."));
    parser.addHelpOption();
    const IntOption iterations("iterations",
                               "PBKDF2-HMAC-SHA256 iterations for a new password; fewer than the default "
                               "only for tests (the server raises weaker records at the next login)",
                               PasswordRecord::DefaultIterations, 1000, PasswordRecord::MaxIterations);
    parser.addOptions({
        {QStringLiteral("data-dir"),
         QStringLiteral("The server's data directory (default: $STATE_DIRECTORY, else %1).")
             .arg(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)),
         QStringLiteral("dir")},
        {QStringLiteral("redis"),
         QStringLiteral("The users of the nodes started with --redis URL and --accounts, in that Redis "
                        "(redis://[:password@]host[:port][/db]) instead of the data directory."),
         QStringLiteral("url")},
        iterations.commandLineOption(),
    });
    parser.addPositionalArgument(QStringLiteral("user"), QStringLiteral("add, passwd, remove or list"),
                                 QStringLiteral("user add|passwd|remove NAME | user list"));
    parser.process(arguments);

    const QStringList words = parser.positionalArguments().mid(1); // after "user"
    const QString command = words.value(0);
    const bool named = command == QLatin1String("add") || command == QLatin1String("passwd") ||
                       command == QLatin1String("remove");
    if (!(named && words.size() == 2) && !(command == QLatin1String("list") && words.size() == 1)) {
        return failWith(QStringLiteral("usage: natter-server user add|passwd|remove NAME, or natter-server "
                                       "user list (see natter-server user --help)"),
                        2);
    }
    QString error;
    const auto iterationsValue = iterations.read(parser, &error);
    if (!iterationsValue)
        return failWith(error, 2);
    UserDatabase::Options options;
    options.iterations = int(*iterationsValue);
    std::unique_ptr<UserDatabase> database;
    if (parser.isSet(QStringLiteral("redis"))) {
        if (parser.isSet(QStringLiteral("data-dir")))
            return failWith(QStringLiteral("--redis and --data-dir are two user databases: give one"), 2);
        const auto url = RedisUrl::parse(parser.value(QStringLiteral("redis")), &error);
        if (!url)
            return failWith(error, 2);
        // An operator's command may wait for a busy Redis longer than the server's loop does.
        database = std::make_unique<RedisUserStore>(RedisUserStore::Settings{*url, 5000, options});
    } else {
        const QString dataDir = parser.isSet(QStringLiteral("data-dir"))
                                    ? parser.value(QStringLiteral("data-dir"))
                                    : defaultDataDir();
        if (dataDir.isEmpty())
            return failWith(QStringLiteral("no data directory: give one with --data-dir"), 2);
        auto file = std::make_unique<UserStore>(dataDir, options);
        // Only `add` creates the database: a typo in --data-dir must not leave an empty one behind.
        if (command != QLatin1String("add") && !QFileInfo::exists(file->filePath())) {
            if (command == QLatin1String("list")) {
                std::fprintf(stderr, "natter-server: no users yet (%s does not exist)\n",
                             qPrintable(file->filePath()));
                return 0;
            }
            return failWith(QStringLiteral("no user %1: %2 does not exist")
                                .arg(quoted(words.value(1)), file->filePath()));
        }
        database = std::move(file);
    }
    UserDatabase &store = *database;
    const QString name = words.value(1);

    if (command == QLatin1String("add")) {
        const auto valid = UserDatabase::validName(name, &error);
        if (!valid)
            return failWith(QStringLiteral("invalid user name %1: %2").arg(quoted(name), error));
    }
    if (!store.open())
        return failWith(store.errorString());

    if (command == QLatin1String("list")) {
        for (const UserDatabase::UserInfo &user : store.users()) {
            std::printf("%s\t%s\n", qPrintable(user.name), qPrintable(user.created.toString(Qt::ISODate)));
        }
        return store.errorString().isEmpty() && !store.unavailable() ? 0 : failWith(store.errorString());
    }

    const auto existing = store.storedName(name);
    if (store.unavailable())
        return failWith(store.errorString());
    if (command == QLatin1String("add") && existing) {
        return failWith(QStringLiteral("user %1 already exists (names differing only in case or width are "
                                       "the same user)")
                            .arg(quoted(*existing)));
    }
    if (command != QLatin1String("add") && !existing)
        return failWith(QStringLiteral("no user %1 in %2").arg(quoted(name), store.location()));

    std::optional<QString> password;
    if (command != QLatin1String("remove")) {
        password = PasswordPrompt::readNew(existing.value_or(name), &error);
        if (!password)
            return failWith(error);
    }
    UserDatabase::Result result = UserDatabase::Result::StorageError;
    QString done;
    if (command == QLatin1String("add")) {
        result = store.addUser(name, *password);
        done = QStringLiteral("added user %1 to %2")
                   .arg(quoted(*UserDatabase::validName(name)), store.location());
    } else if (command == QLatin1String("passwd")) {
        result = store.setPassword(name, *password);
        done = QStringLiteral("changed the password of %1; their sessions are ended").arg(quoted(*existing));
    } else {
        result = store.removeUser(name);
        done = QStringLiteral("removed user %1; their sessions are ended").arg(quoted(*existing));
    }

    switch (result) {
    case UserDatabase::Result::Ok:
        std::printf("natter-server: %s\n", qPrintable(done));
        return 0;
    case UserDatabase::Result::Exists:
        return failWith(QStringLiteral("user %1 already exists").arg(quoted(name)));
    case UserDatabase::Result::NoSuchUser:
        return failWith(QStringLiteral("no user %1 in %2").arg(quoted(name), store.location()));
    case UserDatabase::Result::InvalidName:
        return failWith(QStringLiteral("invalid user name %1: %2").arg(quoted(name), store.errorString()));
    case UserDatabase::Result::InvalidPassword:
        return failWith(QStringLiteral("the password must be 1 to %1 bytes of UTF-8")
                            .arg(PasswordRecord::MaxPasswordBytes));
    case UserDatabase::Result::StorageError:
        break;
    }
    return failWith(store.errorString());
}

} // namespace UserCommand
