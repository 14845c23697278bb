// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordprompt.h"

#include <QStringDecoder>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <termios.h>
#include <unistd.h>

namespace {

termios savedTerminal;
constexpr int restoredSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};

// Ctrl-C at the prompt must not leave the operator's terminal without echo.
void restoreAndRaise(int number)
{
    ::tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
    std::signal(number, SIG_DFL);
    std::raise(number);
}

// One line without its line break, or nullopt at end of input. The buffer is wiped after use.
std::optional<QByteArray> readLine()
{
    char *buffer = nullptr;
    size_t capacity = 0;
    const ssize_t length = ::getline(&buffer, &capacity, stdin);
    std::optional<QByteArray> line;
    if (length >= 0) {
        QByteArray bytes(buffer, length);
        while (bytes.endsWith('\n') || bytes.endsWith('\r'))
            bytes.chop(1);
        line = bytes;
    }
    if (buffer) {
        std::memset(buffer, 0, capacity);
        std::free(buffer);
    }
    return line;
}

std::optional<QByteArray> readQuietly(const char *prompt)
{
    // Echo goes off before the prompt appears, so nothing typed after it is ever shown.
    termios quiet = savedTerminal;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    quiet.c_lflag |= ECHONL; // the Enter key still moves to the next line
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    auto line = readLine();
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
    return line;
}

} // namespace

namespace PasswordPrompt {

std::optional<QString> readNew(const QString &userName, QString *error)
{
    std::optional<QByteArray> bytes;
    if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &savedTerminal) == 0) {
        struct sigaction restore = {};
        restore.sa_handler = restoreAndRaise;
        struct sigaction previous[std::size(restoredSignals)] = {};
        for (size_t i = 0; i < std::size(restoredSignals); ++i)
            ::sigaction(restoredSignals[i], &restore, &previous[i]);
        const QByteArray prompt = QStringLiteral("New password for %1: ").arg(userName).toLocal8Bit();
        bytes = readQuietly(prompt.constData());
        const auto again = bytes ? readQuietly("Repeat the password: ") : std::nullopt;
        for (size_t i = 0; i < std::size(restoredSignals); ++i)
            ::sigaction(restoredSignals[i], &previous[i], nullptr);
        if (bytes && (!again || *again != *bytes)) {
            *error = QStringLiteral("the two passwords differ");
            return std::nullopt;
        }
    } else {
        bytes = readLine();
    }
    if (!bytes) {
        *error = QStringLiteral("no password given (end of input)");
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString password = decoder.decode(*bytes);
    if (decoder.hasError()) {
        *error = QStringLiteral("the password is not valid UTF-8");
        return std::nullopt;
    }
    return password;
}

} // namespace PasswordPrompt
