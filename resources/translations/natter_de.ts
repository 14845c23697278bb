<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Natter</source>
        <translation>Über Natter</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Natter %1&lt;/h2&gt;&lt;p&gt;Chat in rooms over WebSockets, with a connection you can always see: latency, reconnects and messages waiting to be sent.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Natter %1&lt;/h2&gt;&lt;p&gt;Chatten in Räumen über WebSockets, mit einer Verbindung, die Sie immer im Blick haben: Latenz, Neuverbindungen und Nachrichten, die auf den Versand warten.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2, läuft mit Qt %3.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About text</source>
        <translation>Infotext</translation>
    </message>
    <message>
        <source>Natter icon</source>
        <translation>Natter-Symbol</translation>
    </message>
</context>
<context>
    <name>AppLauncher</name>
    <message>
        <source>No message cache: %1</source>
        <translation>Kein Nachrichtenspeicher: %1</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>This computer is open already</source>
        <translation>Dieser Computer ist schon geöffnet</translation>
    </message>
</context>
<context>
    <name>AppSettings</name>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Text size of messages</source>
        <translation>Textgröße der Nachrichten</translation>
    </message>
    <message>
        <source>Also Ctrl+Plus, Ctrl+Minus and Ctrl+0</source>
        <translation>Auch Strg+Plus, Strg+Minus und Strg+0</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Design:</translation>
    </message>
    <message>
        <source>Text &amp;size:</source>
        <translation>Text&amp;größe:</translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message>
        <source>attempt %1 to %2</source>
        <translation>Verbindungsversuch %1 zu %2</translation>
    </message>
    <message>
        <source>no `connected` message after %1 ms (connect timeout)</source>
        <translation>keine `connected`-Nachricht nach %1 ms (Zeitüberschreitung beim Verbinden)</translation>
    </message>
    <message>
        <source>no connection after %1 ms (connect timeout)</source>
        <translation>keine Verbindung nach %1 ms (Zeitüberschreitung beim Verbinden)</translation>
    </message>
    <message>
        <source>closed by the user (no close reply from the server)</source>
        <translation>vom Benutzer geschlossen (keine Antwort des Servers auf das Schließen)</translation>
    </message>
    <message>
        <source>no pong for %1 ms: connection is dead</source>
        <translation>seit %1 ms kein Pong: die Verbindung ist tot</translation>
    </message>
    <message>
        <source>the network is back</source>
        <translation>das Netzwerk ist wieder da</translation>
    </message>
    <message>
        <source>woke from sleep (%1 s)</source>
        <translation>aus dem Ruhezustand erwacht (%1 s)</translation>
    </message>
    <message>
        <source>Not a WebSocket URL: &quot;%1&quot; (expected ws://host:port or wss://…)</source>
        <translation>Keine WebSocket-URL: „%1“ (erwartet: ws://host:port oder wss://…)</translation>
    </message>
    <message>
        <source>connecting to %1</source>
        <translation>verbinde mit %1</translation>
    </message>
    <message>
        <source>the server is busy (503)</source>
        <translation>der Server ist ausgelastet (503)</translation>
    </message>
    <message>
        <source>connection lost: %1</source>
        <translation>Verbindung verloren: %1</translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation>Verbindung nicht möglich: %1</translation>
    </message>
    <message>
        <source>the server&apos;s certificate is not trusted: %1</source>
        <translation>dem Zertifikat des Servers wird nicht vertraut: %1</translation>
    </message>
    <message>
        <source>closed by the user</source>
        <translation>vom Benutzer geschlossen</translation>
    </message>
    <message>
        <source>%1; gave up after %2 attempts</source>
        <translation>%1; nach %2 Versuchen aufgegeben</translation>
    </message>
    <message>
        <source>not delivered: gave up reconnecting</source>
        <translation>nicht zugestellt: Neuverbindung aufgegeben</translation>
    </message>
    <message>
        <source>%1; attempt %2 in %3 ms</source>
        <translation>%1; Versuch %2 in %3 ms</translation>
    </message>
    <message>
        <source>%1; retrying in %2 ms</source>
        <translation>%1; neuer Versuch in %2 ms</translation>
    </message>
    <message>
        <source>attempt %1 to %2 (reconnect now)</source>
        <translation>Verbindungsversuch %1 zu %2 (jetzt neu verbinden)</translation>
    </message>
    <message>
        <source>reconnecting to %1 (reconnect now)</source>
        <translation>verbinde neu mit %1 (jetzt neu verbinden)</translation>
    </message>
    <message>
        <source>disconnecting at the user&apos;s request</source>
        <translation>trenne auf Wunsch des Benutzers</translation>
    </message>
    <message>
        <source>user disconnected</source>
        <translation>Benutzer hat getrennt</translation>
    </message>
    <message>
        <source>connection attempt cancelled by the user</source>
        <translation>Verbindungsversuch vom Benutzer abgebrochen</translation>
    </message>
    <message>
        <source>disconnected by the user</source>
        <translation>vom Benutzer getrennt</translation>
    </message>
    <message>
        <source>the server ended your session (the password was changed or the account removed)</source>
        <translation>der Server hat Ihre Sitzung beendet (das Passwort wurde geändert oder das Konto entfernt)</translation>
    </message>
    <message>
        <source>the name %1 was taken over by a newer connection</source>
        <translation>der Name %1 wurde von einer neueren Verbindung übernommen</translation>
    </message>
    <message>
        <source>the server is busy (%1)</source>
        <translation>der Server ist ausgelastet (%1)</translation>
    </message>
    <message>
        <source>the server closed the connection (%1)</source>
        <translation>der Server hat die Verbindung geschlossen (%1)</translation>
    </message>
    <message>
        <source>connection closed (%1)</source>
        <translation>Verbindung geschlossen (%1)</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>Verbindung verloren</translation>
    </message>
    <message>
        <source>logging in to %1</source>
        <translation>melde mich bei %1 an</translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation>verbunden mit %1</translation>
    </message>
    <message>
        <source>your session on %1 has expired: log in again</source>
        <translation>Ihre Sitzung auf %1 ist abgelaufen: bitte erneut anmelden</translation>
    </message>
    <message>
        <source>%1 needs you to log in</source>
        <translation>%1 verlangt eine Anmeldung</translation>
    </message>
    <message>
        <source>the server refused the login</source>
        <translation>der Server hat die Anmeldung abgelehnt</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>abgemeldet</translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation>falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message numerus="yes">
        <source>%1: try again in %n s</source>
        <translation>
            <numerusform>%1: erneut versuchen in %n s</numerusform>
            <numerusform>%1: erneut versuchen in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>this server does not let anyone create an account</source>
        <translation>auf diesem Server kann niemand ein Konto anlegen</translation>
    </message>
    <message>
        <source>the name %1 already has an account</source>
        <translation>für den Namen %1 gibt es bereits ein Konto</translation>
    </message>
    <message>
        <source>the server does not accept this user name: %1</source>
        <translation>der Server akzeptiert diesen Benutzernamen nicht: %1</translation>
    </message>
    <message>
        <source>a password has 1 to 1,024 bytes</source>
        <translation>ein Passwort hat 1 bis 1.024 Bytes</translation>
    </message>
    <message>
        <source>the server refused the login: %1</source>
        <translation>der Server hat die Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <source>No server to log in to</source>
        <translation>Kein Server zum Anmelden</translation>
    </message>
    <message>
        <source>Enter a password</source>
        <translation>Geben Sie ein Passwort ein</translation>
    </message>
    <message>
        <source>Already logged in as %1</source>
        <translation>Bereits angemeldet als %1</translation>
    </message>
    <message>
        <source>The name %1 is in use by someone else</source>
        <translation>Der Name %1 wird schon von jemand anderem verwendet</translation>
    </message>
    <message>
        <source>The server sent older messages of %1 that do not end where they were asked for; ignored</source>
        <translation>Der Server hat ältere Nachrichten von %1 gesendet, die nicht dort enden, wo sie angefragt wurden; ignoriert</translation>
    </message>
    <message>
        <source>not confirmed by the server; it may have been delivered</source>
        <translation>vom Server nicht bestätigt; möglicherweise wurde sie zugestellt</translation>
    </message>
    <message>
        <source>An empty message is not sent</source>
        <translation>Eine leere Nachricht wird nicht gesendet</translation>
    </message>
    <message>
        <source>The message is too long (%1 bytes; at most %2)</source>
        <translation>Die Nachricht ist zu lang (%1 Bytes; höchstens %2)</translation>
    </message>
    <message>
        <source>Not in a room: join one first</source>
        <translation>In keinem Raum: treten Sie zuerst einem bei</translation>
    </message>
    <message>
        <source>Not in a room</source>
        <translation>In keinem Raum</translation>
    </message>
    <message>
        <source>No server address</source>
        <translation>Keine Serveradresse</translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <source>%1 mentioned you in #%2</source>
        <translation>%1 hat Sie in #%2 erwähnt</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 in #%2</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more)</source>
        <translation>
            <numerusform>%1 (und %n weitere)</numerusform>
            <numerusform>%1 (und %n weitere)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 joined the room</source>
        <translation>%1 hat den Raum betreten</translation>
    </message>
    <message>
        <source>%1 left the room</source>
        <translation>%1 hat den Raum verlassen</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message input</source>
        <translation>Nachrichteneingabe</translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht schreiben … (Eingabe sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>&amp;Host a chat on this computer</source>
        <translation>Chat auf diesem &amp;Computer anbieten</translation>
    </message>
    <message>
        <source>&amp;Connect to a server:</source>
        <translation>Mit einem &amp;Server verbinden:</translation>
    </message>
    <message>
        <source>Connect to Natter</source>
        <translation>Mit Natter verbinden</translation>
    </message>
    <message>
        <source>Host a chat on this computer</source>
        <translation>Chat auf diesem Computer anbieten</translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation>Mit einem Server verbinden</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Input problem</source>
        <translation>Problem mit der Eingabe</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>Server&amp;adresse:</translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation>Ihr &amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>&amp;Raum:</translation>
    </message>
    <message>
        <source>Other addresses of this server</source>
        <translation>Weitere Adressen dieses Servers</translation>
    </message>
    <message>
        <source>Further nodes of the same server, separated by commas. When the connection fails, Natter tries the next address in turn.</source>
        <translation>Weitere Knoten desselben Servers, durch Kommas getrennt. Scheitert die Verbindung, versucht Natter der Reihe nach die nächste Adresse.</translation>
    </message>
    <message>
        <source>Other a&amp;ddresses:</source>
        <translation>Weitere A&amp;dressen:</translation>
    </message>
</context>
<context>
    <name>ConnectionChoice</name>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Enter a server address such as ws://chat.example.org:8080</source>
        <translation>Geben Sie eine Serveradresse ein, etwa ws://chat.example.org:8080</translation>
    </message>
    <message>
        <source>The server address must start with ws:// or wss://</source>
        <translation>Die Serveradresse muss mit ws:// oder wss:// beginnen</translation>
    </message>
    <message>
        <source>Other addresses must be ws:// or wss:// addresses, not &quot;%1&quot;</source>
        <translation>Weitere Adressen müssen ws://- oder wss://-Adressen sein, nicht „%1“</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Restore Defaults</source>
        <translation>Standardwerte wiederherstellen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>First wait before reconnecting</source>
        <translation>Erste Wartezeit vor dem erneuten Verbinden</translation>
    </message>
    <message>
        <source>Longest wait before reconnecting</source>
        <translation>Längste Wartezeit vor dem erneuten Verbinden</translation>
    </message>
    <message>
        <source>Wait growth per attempt</source>
        <translation>Wachstum der Wartezeit je Versuch</translation>
    </message>
    <message>
        <source>Latency ping interval</source>
        <translation>Abstand der Latenz-Pings</translation>
    </message>
    <message>
        <source>Connection lost after no answer for</source>
        <translation>Verbindung gilt als verloren ohne Antwort nach</translation>
    </message>
    <message>
        <source>Latency samples kept</source>
        <translation>Aufbewahrte Latenz-Messwerte</translation>
    </message>
    <message>
        <source>Restore default connection settings</source>
        <translation>Standardwerte der Verbindung wiederherstellen</translation>
    </message>
    <message>
        <source>Most networks need none of this. Changes apply to the connection at once.</source>
        <translation>Die meisten Netzwerke brauchen nichts davon. Änderungen gelten sofort für die Verbindung.</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Erneut verbinden</translation>
    </message>
    <message>
        <source>&amp;First wait:</source>
        <translation>&amp;Erste Wartezeit:</translation>
    </message>
    <message>
        <source>&amp;Each further wait grows:</source>
        <translation>&amp;Jede weitere Wartezeit wächst:</translation>
    </message>
    <message>
        <source>&amp;Longest wait:</source>
        <translation>&amp;Längste Wartezeit:</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>&amp;Ping every:</source>
        <translation>&amp;Ping alle:</translation>
    </message>
    <message>
        <source>Connection &amp;lost after no answer for:</source>
        <translation>Verbindung &amp;verloren ohne Antwort nach:</translation>
    </message>
    <message>
        <source>&amp;Samples kept:</source>
        <translation>&amp;Aufbewahrte Messwerte:</translation>
    </message>
</context>
<context>
    <name>ConnectionPanel</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Server software</source>
        <translation>Server-Software</translation>
    </message>
    <message>
        <source>Server features</source>
        <translation>Server-Funktionen</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Verbindungszustand</translation>
    </message>
    <message>
        <source>Connection uptime</source>
        <translation>Verbindungsdauer</translation>
    </message>
    <message>
        <source>Pongs</source>
        <translation>Pongs</translation>
    </message>
    <message>
        <source>Hosted server address</source>
        <translation>Adresse des angebotenen Servers</translation>
    </message>
    <message>
        <source>Latency statistics</source>
        <translation>Latenzstatistik</translation>
    </message>
    <message>
        <source>Reconnect Now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Connection details</source>
        <translation>Verbindungsdetails</translation>
    </message>
    <message>
        <source>Connection history</source>
        <translation>Verbindungsverlauf</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Software:</source>
        <translation>Software:</translation>
    </message>
    <message>
        <source>Features:</source>
        <translation>Funktionen:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>Uptime:</source>
        <translation>Verbindungsdauer:</translation>
    </message>
    <message>
        <source>Pongs:</source>
        <translation>Pongs:</translation>
    </message>
    <message>
        <source>Hosting:</source>
        <translation>Eigener Server:</translation>
    </message>
    <message>
        <source>Latency:</source>
        <translation>Latenz:</translation>
    </message>
    <message>
        <source>History:</source>
        <translation>Verlauf:</translation>
    </message>
    <message>
        <source>Reconnect attempt %1 scheduled in %2</source>
        <translation>Verbindungsversuch %1 geplant in %2</translation>
    </message>
    <message>
        <source>Not hosting a server</source>
        <translation>Kein eigener Server</translation>
    </message>
    <message>
        <source>%1 (others on your network: %2)</source>
        <translation>%1 (für andere in Ihrem Netzwerk: %2)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>%1, protocol %2</source>
        <translation>%1, Protokoll %2</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Base server (no extensions)</source>
        <translation>Basisserver (keine Erweiterungen)</translation>
    </message>
    <message>
        <source>None (base protocol)</source>
        <translation>Keine (Basisprotokoll)</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message numerus="yes">
        <source>last %1 ago, %n missed</source>
        <translation>
            <numerusform>letzter vor %1, %n verpasst</numerusform>
            <numerusform>letzter vor %1, %n verpasst</numerusform>
        </translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No measurements yet</source>
        <translation>Noch keine Messungen</translation>
    </message>
    <message>
        <source>current %1 ms · min %2 · mean %3
p95 %4 · jitter %5 ms</source>
        <translation>aktuell %1 ms · min %2 · Mittel %3
p95 %4 · Jitter %5 ms</translation>
    </message>
    <message>
        <source>%1
via %2</source>
        <translation>%1
über %2</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Connection status</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Verbindungszustand</translation>
    </message>
    <message>
        <source>Connection indicator</source>
        <translation>Verbindungsanzeige</translation>
    </message>
    <message>
        <source>Server status</source>
        <translation>Serverstatus</translation>
    </message>
    <message>
        <source>Server degraded — messages wait in the outbox</source>
        <translation>Server eingeschränkt – Nachrichten warten im Postausgang</translation>
    </message>
    <message>
        <source>Server degraded: %1 — messages wait in the outbox</source>
        <translation>Server eingeschränkt: %1 – Nachrichten warten im Postausgang</translation>
    </message>
    <message>
        <source>Retry connecting</source>
        <translation>Erneut verbinden</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>Joining on %1…</source>
        <translation>Betrete Raum auf %1 …</translation>
    </message>
    <message>
        <source>Connecting to %1 (attempt %2)…</source>
        <translation>Verbinde mit %1 (Versuch %2) …</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>Logging in to %1…</source>
        <translation>Melde an bei %1 …</translation>
    </message>
    <message>
        <source>Not logged in to %1</source>
        <translation>Nicht angemeldet bei %1</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s (attempt %1)</source>
        <translation>
            <numerusform>Neue Verbindung in %n s (Versuch %1)</numerusform>
            <numerusform>Neue Verbindung in %n s (Versuch %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation>Trenne …</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Gave up reconnecting to %1</source>
        <translation>Neuverbindung mit %1 aufgegeben</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) queued</source>
        <translation>
            <numerusform>%n Nachricht in der Warteschlange</numerusform>
            <numerusform>%n Nachrichten in der Warteschlange</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>sending %n message(s)</source>
        <translation>
            <numerusform>sende %n Nachricht</numerusform>
            <numerusform>sende %n Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationPresenter</name>
    <message>
        <source>Replying to %1</source>
        <translation>Antwort an %1</translation>
    </message>
    <message>
        <source>Editing your message (Enter saves, Escape cancels)</source>
        <translation>Sie bearbeiten Ihre Nachricht (Eingabe speichert, Escape bricht ab)</translation>
    </message>
    <message>
        <source>Delete Message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <source>Delete this message for everyone in the room? It shows as &quot;message deleted&quot; from then on.</source>
        <translation>Diese Nachricht für alle im Raum löschen? Sie erscheint danach als „Nachricht gelöscht“.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>FilePicker</name>
    <message>
        <source>Send Files</source>
        <translation>Dateien senden</translation>
    </message>
    <message>
        <source>Save File</source>
        <translation>Datei speichern</translation>
    </message>
    <message>
        <source>Download Folder</source>
        <translation>Download-Ordner</translation>
    </message>
</context>
<context>
    <name>FileTransfers</name>
    <message>
        <source>Not connected to a chat</source>
        <translation>Mit keinem Chat verbunden</translation>
    </message>
    <message>
        <source>No file given</source>
        <translation>Keine Datei angegeben</translation>
    </message>
    <message>
        <source>No such file: %1</source>
        <translation>Datei nicht gefunden: %1</translation>
    </message>
    <message>
        <source>%1 is a folder, not a file</source>
        <translation>%1 ist ein Ordner, keine Datei</translation>
    </message>
    <message>
        <source>%1 is not a regular file</source>
        <translation>%1 ist keine reguläre Datei</translation>
    </message>
    <message>
        <source>Not in a room: join one first</source>
        <translation>In keinem Raum: treten Sie zuerst einem bei</translation>
    </message>
    <message>
        <source>%1 is too large: %2, the server takes at most %3</source>
        <translation>%1 ist zu groß: %2, der Server nimmt höchstens %3 an</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The server stored %1 instead of %2</source>
        <translation>Der Server hat %1 statt %2 gespeichert</translation>
    </message>
    <message>
        <source>cancelled by you</source>
        <translation>von Ihnen abgebrochen</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>Verbindung verloren</translation>
    </message>
    <message>
        <source>Not sent: you left %1</source>
        <translation>Nicht gesendet: Sie haben %1 verlassen</translation>
    </message>
    <message>
        <source>Connection lost before the file was complete</source>
        <translation>Verbindung verloren, bevor die Datei vollständig war</translation>
    </message>
    <message>
        <source>The server offered the same stream again</source>
        <translation>Der Server hat denselben Datenstrom erneut angeboten</translation>
    </message>
    <message>
        <source>Refused: receiving files is turned off</source>
        <translation>Abgelehnt: der Empfang von Dateien ist ausgeschaltet</translation>
    </message>
    <message>
        <source>Refused: %1 announced a negative size</source>
        <translation>Abgelehnt: %1 hat eine negative Größe angekündigt</translation>
    </message>
    <message>
        <source>Refused: %1 is %2, more than the limit of %3</source>
        <translation>Abgelehnt: %1 ist %2 groß, mehr als die Grenze von %3</translation>
    </message>
    <message numerus="yes">
        <source>Refused: %n file(s) are arriving already</source>
        <translation>
            <numerusform>Abgelehnt: %n Datei wird bereits empfangen</numerusform>
            <numerusform>Abgelehnt: %n Dateien werden bereits empfangen</numerusform>
        </translation>
    </message>
    <message>
        <source>Binary data from a server that does not relay files is ignored</source>
        <translation>Binärdaten von einem Server, der keine Dateien weiterleitet, werden ignoriert</translation>
    </message>
    <message>
        <source>More data for unknown streams is ignored</source>
        <translation>Weitere Daten für unbekannte Datenströme werden ignoriert</translation>
    </message>
    <message>
        <source>Chunk %1 of unknown stream %2 ignored</source>
        <translation>Block %1 des unbekannten Datenstroms %2 ignoriert</translation>
    </message>
    <message>
        <source>The server finished stream %1, which it never offered</source>
        <translation>Der Server hat den Datenstrom %1 beendet, den er nie angeboten hatte</translation>
    </message>
    <message>
        <source>the sender stopped</source>
        <translation>der Absender hat abgebrochen</translation>
    </message>
    <message>
        <source>No completed download %1</source>
        <translation>Kein abgeschlossener Download %1</translation>
    </message>
    <message>
        <source>The downloaded file %1 is gone</source>
        <translation>Die heruntergeladene Datei %1 ist nicht mehr da</translation>
    </message>
    <message>
        <source>%1 is a folder</source>
        <translation>%1 ist ein Ordner</translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation>%1 existiert bereits</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot copy to %1: %2</source>
        <translation>Kopieren nach %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation>%1 kann nicht ersetzt werden: %2</translation>
    </message>
</context>
<context>
    <name>FilesPage</name>
    <message>
        <source>Choose…</source>
        <translation>Auswählen …</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>Download-Ordner</translation>
    </message>
    <message>
        <source>None: each file waits until you save it</source>
        <translation>Keiner: jede Datei wartet, bis Sie sie speichern</translation>
    </message>
    <message>
        <source>Choose the download folder</source>
        <translation>Download-Ordner auswählen</translation>
    </message>
    <message>
        <source>Download folder problem</source>
        <translation>Problem mit dem Download-Ordner</translation>
    </message>
    <message>
        <source>Receive files without asking up to</source>
        <translation>Dateien ohne Nachfrage empfangen bis</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Any size, never ask</source>
        <translation>Jede Größe, nie nachfragen</translation>
    </message>
    <message>
        <source>Largest file received</source>
        <translation>Größte empfangene Datei</translation>
    </message>
    <message>
        <source>As the server allows</source>
        <translation>So groß der Server erlaubt</translation>
    </message>
    <message>
        <source>Larger files than “without asking” wait for Save… or Cancel while they arrive; files over the largest size are refused.</source>
        <translation>Größere Dateien als „ohne Nachfrage“ warten beim Eintreffen auf Speichern … oder Abbrechen; Dateien über der größten Größe werden abgelehnt.</translation>
    </message>
    <message>
        <source>&amp;Download folder:</source>
        <translation>&amp;Download-Ordner:</translation>
    </message>
    <message>
        <source>Receive &amp;without asking up to:</source>
        <translation>&amp;Ohne Nachfrage empfangen bis:</translation>
    </message>
    <message>
        <source>&amp;Largest file received:</source>
        <translation>&amp;Größte empfangene Datei:</translation>
    </message>
    <message>
        <source>Natter cannot write to “%1”.</source>
        <translation>Natter kann nicht in „%1“ schreiben.</translation>
    </message>
    <message>
        <source>There is no folder “%1”.</source>
        <translation>Es gibt keinen Ordner „%1“.</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>Rename yourself</source>
        <translation>Sich umbenennen</translation>
    </message>
    <message>
        <source>Rename result</source>
        <translation>Ergebnis der Umbenennung</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>The name others see you as, and the one Natter connects with.</source>
        <translation>Der Name, unter dem andere Sie sehen und mit dem Natter sich verbindet.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Your name is now %1.</source>
        <translation>Ihr Name ist jetzt %1.</translation>
    </message>
    <message>
        <source>Renaming…</source>
        <translation>Wird umbenannt …</translation>
    </message>
    <message>
        <source>Not renamed: %1</source>
        <translation>Nicht umbenannt: %1</translation>
    </message>
    <message>
        <source>On this server your name is your account, %1. To be someone else, log out and log in with another account.</source>
        <translation>Auf diesem Server ist Ihr Name Ihr Konto, %1. Um jemand anderes zu sein, melden Sie sich ab und mit einem anderen Konto an.</translation>
    </message>
    <message>
        <source>Natter asks for the name %1 when it connects.</source>
        <translation>Natter fragt beim Verbinden nach dem Namen %1.</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <source>This image is too large to preview.</source>
        <translation>Dieses Bild ist zu groß für eine Vorschau.</translation>
    </message>
    <message>
        <source>This file cannot be shown as an image.</source>
        <translation>Diese Datei kann nicht als Bild angezeigt werden.</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Speichern …</translation>
    </message>
    <message>
        <source>&amp;Open With…</source>
        <translation>&amp;Öffnen mit …</translation>
    </message>
    <message>
        <source>&amp;100%</source>
        <translation>&amp;100 %</translation>
    </message>
    <message>
        <source>Save Image</source>
        <translation>Bild speichern</translation>
    </message>
    <message>
        <source>Could not save %1.</source>
        <translation>%1 konnte nicht gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>LatencyGraph</name>
    <message>
        <source>Latency graph</source>
        <translation>Latenzdiagramm</translation>
    </message>
    <message>
        <source>No measurements yet</source>
        <translation>Noch keine Messungen</translation>
    </message>
</context>
<context>
    <name>LatencyIndicator</name>
    <message>
        <source>— ms</source>
        <translation>— ms</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Current latency</source>
        <translation>Aktuelle Latenz</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Round-trip latency: no measurements yet</source>
        <translation>Umlaufzeit: noch keine Messungen</translation>
    </message>
    <message numerus="yes">
        <source>Round-trip latency (last %n sample(s))
current %1 ms · min %2 ms · mean %3 ms
p95 %4 ms · jitter %5 ms
Click for connection details</source>
        <translation>
            <numerusform>Umlaufzeit (letzte %n Messung)
aktuell %1 ms · min %2 ms · Mittel %3 ms
p95 %4 ms · Jitter %5 ms
Klicken für Verbindungsdetails</numerusform>
            <numerusform>Umlaufzeit (letzte %n Messungen)
aktuell %1 ms · min %2 ms · Mittel %3 ms
p95 %4 ms · Jitter %5 ms
Klicken für Verbindungsdetails</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Connect to the server at &lt;url&gt; (ws://host:port).</source>
        <translation>Mit dem Server unter &lt;url&gt; verbinden (ws://host:port).</translation>
    </message>
    <message>
        <source>Connect to the server at &lt;url&gt;; repeat for each server (for this run only, not saved). Not together with --url. Several addresses of one server (its nodes), comma-separated, are tried in turn.</source>
        <translation>Mit dem Server unter &lt;url&gt; verbinden; für jeden Server wiederholen (nur für diesen Start, wird nicht gespeichert). Nicht zusammen mit --url. Mehrere Adressen eines Servers (seine Knoten), durch Kommas getrennt, werden der Reihe nach versucht.</translation>
    </message>
    <message>
        <source>Chat as &lt;name&gt;.</source>
        <translation>Als &lt;name&gt; chatten.</translation>
    </message>
    <message>
        <source>Join &lt;room&gt; first.</source>
        <translation>Zuerst &lt;room&gt; betreten.</translation>
    </message>
    <message>
        <source>Natter: chat in rooms over WebSockets, on several servers side by side. Without --url or --server and with no saved server, Natter hosts a server on this computer (port %1, or a free one) and shows the address others can join.</source>
        <translation>Natter: Chatten in Räumen über WebSockets, auf mehreren Servern gleichzeitig. Ohne --url oder --server und ohne gespeicherten Server bietet Natter einen Server auf diesem Computer an (Port %1 oder ein freier) und zeigt die Adresse, über die andere beitreten können.</translation>
    </message>
    <message>
        <source>Use --server for each server, or --url for one, not both.</source>
        <translation>--server für jeden Server oder --url für einen, nicht beides.</translation>
    </message>
    <message>
        <source>--server %1 is no server address: use ws://host:port or wss://host:port.</source>
        <translation>--server %1 ist keine Serveradresse: ws://host:port oder wss://host:port verwenden.</translation>
    </message>
</context>
<context>
    <name>LocalServerHost</name>
    <message>
        <source>Could not start a local server: %1</source>
        <translation>Lokaler Server konnte nicht gestartet werden: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>No keyring service is running, so Natter cannot store your login safely.</source>
        <translation>Es läuft kein Schlüsselbund-Dienst, daher kann Natter Ihre Anmeldung nicht sicher speichern.</translation>
    </message>
    <message>
        <source>Keep it in a &amp;file only I can read</source>
        <translation>In einer &amp;Datei speichern, die nur ich lesen kann</translation>
    </message>
    <message>
        <source>&amp;Do not keep it (log in again next time)</source>
        <translation>&amp;Nicht speichern (beim nächsten Mal erneut anmelden)</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>C&amp;reate account</source>
        <translation>Konto &amp;erstellen</translation>
    </message>
    <message>
        <source>Log in to Natter</source>
        <translation>Bei Natter anmelden</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Login problem</source>
        <translation>Problem bei der Anmeldung</translation>
    </message>
    <message>
        <source>Where to keep your login</source>
        <translation>Wo Ihre Anmeldung gespeichert wird</translation>
    </message>
    <message>
        <source>Keep the login in a file only I can read</source>
        <translation>Die Anmeldung in einer Datei speichern, die nur ich lesen kann</translation>
    </message>
    <message>
        <source>Do not keep the login</source>
        <translation>Die Anmeldung nicht speichern</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>The name or password is not right.</source>
        <translation>Name oder Passwort stimmen nicht.</translation>
    </message>
    <message>
        <source>The name %1 is taken. Choose another one, or log in if it is yours.</source>
        <translation>Der Name %1 ist vergeben. Wählen Sie einen anderen, oder melden Sie sich an, wenn es Ihrer ist.</translation>
    </message>
    <message>
        <source>Your session ended; log in again.</source>
        <translation>Ihre Sitzung wurde beendet; melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Your session has expired; log in again.</source>
        <translation>Ihre Sitzung ist abgelaufen; melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>This server does not let anyone create an account; log in with an existing one.</source>
        <translation>Auf diesem Server kann niemand ein Konto anlegen; melden Sie sich mit einem bestehenden an.</translation>
    </message>
    <message>
        <source>Choose another name: %1.</source>
        <translation>Wählen Sie einen anderen Namen: %1.</translation>
    </message>
    <message>
        <source>A password has 1 to 1,024 bytes; choose another one.</source>
        <translation>Ein Passwort hat 1 bis 1.024 Bytes; wählen Sie ein anderes.</translation>
    </message>
    <message>
        <source>You can try again now.</source>
        <translation>Sie können es jetzt erneut versuchen.</translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Zu viele Versuche. Versuchen Sie es in %n Sekunde erneut.</numerusform>
            <numerusform>Zu viele Versuche. Versuchen Sie es in %n Sekunden erneut.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginPresenter</name>
    <message>
        <source>The login did not reach the server: %1</source>
        <translation>Die Anmeldung hat den Server nicht erreicht: %1</translation>
    </message>
    <message>
        <source>Your login: %1</source>
        <translation>Ihre Anmeldung: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Hosted server address</source>
        <translation>Adresse des angebotenen Servers</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>Statusleiste</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Chat</translation>
    </message>
    <message>
        <source>&amp;Connect To…</source>
        <translation>&amp;Verbinden mit …</translation>
    </message>
    <message>
        <source>&amp;Reconnect Now</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>&amp;Send Files…</source>
        <translation>&amp;Dateien senden …</translation>
    </message>
    <message>
        <source>C&amp;lear Finished Transfers</source>
        <translation>&amp;Abgeschlossene Übertragungen entfernen</translation>
    </message>
    <message>
        <source>Log &amp;Out</source>
        <translation>A&amp;bmelden</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>B&amp;eenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Previous Room</source>
        <translation>&amp;Vorheriger Raum</translation>
    </message>
    <message>
        <source>&amp;Next Room</source>
        <translation>&amp;Nächster Raum</translation>
    </message>
    <message>
        <source>&amp;Write a Message</source>
        <translation>Nachricht &amp;schreiben</translation>
    </message>
    <message>
        <source>&amp;Mark Room as Read</source>
        <translation>Raum als gelesen &amp;markieren</translation>
    </message>
    <message>
        <source>Jump to First &amp;Unread</source>
        <translation>Zur ersten &amp;ungelesenen Nachricht</translation>
    </message>
    <message>
        <source>&amp;Jump to Newest</source>
        <translation>Zur neues&amp;ten Nachricht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Design</translation>
    </message>
    <message>
        <source>Follow the &amp;System</source>
        <translation>Wie das &amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>&amp;Larger Text</source>
        <translation>Text ver&amp;größern</translation>
    </message>
    <message>
        <source>S&amp;maller Text</source>
        <translation>Text ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>&amp;Originalgröße</translation>
    </message>
    <message>
        <source>Connection &amp;Details</source>
        <translation>Verbindungsdeta&amp;ils</translation>
    </message>
    <message>
        <source>&amp;Do Not Disturb</source>
        <translation>&amp;Bitte nicht stören</translation>
    </message>
    <message>
        <source>No desktop notifications from any room; unread counts are kept</source>
        <translation>Keine Desktop-Benachrichtigungen aus irgendeinem Raum; ungelesene Nachrichten werden weiter gezählt</translation>
    </message>
    <message>
        <source>&amp;Find Messages…</source>
        <translation>Nachrichten &amp;finden …</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About Natter</source>
        <translation>Ü&amp;ber Natter</translation>
    </message>
    <message>
        <source>Hosting at %1</source>
        <translation>Eigener Server unter %1</translation>
    </message>
    <message>
        <source>This computer runs the chat server. Others join with: natter --url %1</source>
        <translation>Dieser Computer betreibt den Chat-Server. Andere treten bei mit: natter --url %1</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>That message is no longer in the cache</source>
        <translation>Diese Nachricht ist nicht mehr im Nachrichtenspeicher</translation>
    </message>
    <message>
        <source>&amp;Show Natter</source>
        <translation>Natter &amp;anzeigen</translation>
    </message>
    <message>
        <source>#%1 — Natter</source>
        <translation>#%1 — Natter</translation>
    </message>
    <message>
        <source>Quit Natter</source>
        <translation>Natter beenden</translation>
    </message>
    <message numerus="yes">
        <source>%n file transfer(s) still running will be stopped.</source>
        <translation>
            <numerusform>%n laufende Dateiübertragung wird abgebrochen.</numerusform>
            <numerusform>%n laufende Dateiübertragungen werden abgebrochen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Quit Anyway</source>
        <translation>Trotzdem beenden</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>MentionCompleter</name>
    <message>
        <source>Member names</source>
        <translation>Namen der Mitglieder</translation>
    </message>
</context>
<context>
    <name>MessageCache</name>
    <message>
        <source>The message cache %1 was not usable (%2); it was moved to %3 and a new one started</source>
        <translation>Der Nachrichtenspeicher %1 war nicht verwendbar (%2); er wurde nach %3 verschoben und ein neuer angelegt</translation>
    </message>
    <message>
        <source>cannot create the directory %1</source>
        <translation>das Verzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>Qt&apos;s SQLite driver (QSQLITE) is not installed</source>
        <translation>Der SQLite-Treiber von Qt (QSQLITE) ist nicht installiert</translation>
    </message>
    <message>
        <source>written by a newer Natter (schema %1)</source>
        <translation>von einem neueren Natter geschrieben (Schema %1)</translation>
    </message>
    <message>
        <source>Cannot write the message cache: %1</source>
        <translation>Der Nachrichtenspeicher kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Cannot clear the message cache: %1</source>
        <translation>Der Nachrichtenspeicher kann nicht geleert werden: %1</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Stop this transfer</source>
        <translation>Diese Übertragung abbrechen</translation>
    </message>
    <message>
        <source>Save a copy of the received file</source>
        <translation>Eine Kopie der empfangenen Datei speichern</translation>
    </message>
    <message>
        <source>Open the received file</source>
        <translation>Die empfangene Datei öffnen</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Queued: will be sent when connected</source>
        <translation>In der Warteschlange: wird gesendet, sobald eine Verbindung besteht</translation>
    </message>
    <message>
        <source>Sent, waiting for the server</source>
        <translation>Gesendet, wartet auf den Server</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Not sent. Click to retry, or right-click to discard</source>
        <translation>Nicht gesendet. Klicken für einen neuen Versuch, Rechtsklick zum Verwerfen</translation>
    </message>
    <message>
        <source>message deleted</source>
        <translation>Nachricht gelöscht</translation>
    </message>
    <message>
        <source>(edited)</source>
        <translation>(bearbeitet)</translation>
    </message>
    <message>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
    <message>
        <source>an earlier message</source>
        <translation>eine frühere Nachricht</translation>
    </message>
    <message>
        <source>↪ %1</source>
        <translation>↪ %1</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>React</source>
        <translation>Reagieren</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern …</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Gespeichert unter %1</translation>
    </message>
    <message>
        <source>%1 · image too large to preview</source>
        <translation>%1 · Bild zu groß für eine Vorschau</translation>
    </message>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation>
            <numerusform>%n weitere Person</numerusform>
            <numerusform>%n weitere Personen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 reacted with %2</source>
        <translation>%1 hat mit %2 reagiert</translation>
    </message>
    <message>
        <source>Show the message this one answers</source>
        <translation>Die Nachricht zeigen, auf die diese antwortet</translation>
    </message>
    <message>
        <source>View Image</source>
        <translation>Bild ansehen</translation>
    </message>
    <message>
        <source>React %1 (%2)</source>
        <translation>Mit %1 reagieren (%2)</translation>
    </message>
</context>
<context>
    <name>MessageModel</name>
    <message>
        <source>message deleted</source>
        <translation>Nachricht gelöscht</translation>
    </message>
</context>
<context>
    <name>MessageRowAccessible</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>↑ First unread</source>
        <translation>↑ Erste ungelesene</translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation>Lade ältere Nachrichten …</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Jump to new messages</source>
        <translation>Zu den neuen Nachrichten springen</translation>
    </message>
    <message>
        <source>Loading older messages</source>
        <translation>Lade ältere Nachrichten</translation>
    </message>
    <message>
        <source>Jump to the first unread message</source>
        <translation>Zur ersten ungelesenen Nachricht springen</translation>
    </message>
    <message>
        <source>Re&amp;act</source>
        <translation>&amp;Reagieren</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n neue Nachricht</numerusform>
            <numerusform>↓ %n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy Text</source>
        <translation>Text kopieren</translation>
    </message>
    <message>
        <source>Open Link</source>
        <translation>Link öffnen</translation>
    </message>
    <message>
        <source>Copy Link Address</source>
        <translation>Linkadresse kopieren</translation>
    </message>
    <message>
        <source>Retry Sending</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Send Now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <source>Discard Message</source>
        <translation>Nachricht verwerfen</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>&amp;Antworten</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>Cancel Transfer</source>
        <translation>Übertragung abbrechen</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Speichern unter …</translation>
    </message>
    <message>
        <source>Open File</source>
        <translation>Datei öffnen</translation>
    </message>
    <message>
        <source>Copy File Path</source>
        <translation>Dateipfad kopieren</translation>
    </message>
    <message>
        <source>Show &amp;Original Message</source>
        <translation>&amp;Ursprüngliche Nachricht zeigen</translation>
    </message>
    <message>
        <source>&amp;View Image</source>
        <translation>Bild an&amp;sehen</translation>
    </message>
</context>
<context>
    <name>NotificationsPage</name>
    <message>
        <source>&amp;Do not disturb: no desktop notifications from any room</source>
        <translation>&amp;Bitte nicht stören: keine Desktop-Benachrichtigungen aus irgendeinem Raum</translation>
    </message>
    <message>
        <source>Each room notifies all its messages, only those that mention you, or nothing: choose in the room&apos;s menu in the rooms list. Unread messages are counted either way.</source>
        <translation>Jeder Raum benachrichtigt über alle Nachrichten, nur über Erwähnungen oder gar nicht: wählen Sie das im Menü des Raums in der Raumliste. Ungelesene Nachrichten werden in jedem Fall gezählt.</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>The outbox %1 is in use by another process (%2, pid %3); this session keeps its messages in memory only</source>
        <translation>Der Postausgang %1 wird von einem anderen Prozess verwendet (%2, PID %3); diese Sitzung hält ihre Nachrichten nur im Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Cannot use the outbox %1 (no write access to its directory); this session keeps its messages in memory only</source>
        <translation>Der Postausgang %1 kann nicht verwendet werden (kein Schreibzugriff auf sein Verzeichnis); diese Sitzung hält ihre Nachrichten nur im Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Cannot read the outbox %1: %2</source>
        <translation>Der Postausgang %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 at offset %2</source>
        <translation>%1 an Position %2</translation>
    </message>
    <message>
        <source>no &quot;entries&quot; array</source>
        <translation>kein „entries“-Array</translation>
    </message>
    <message>
        <source>an entry lacks its id, room or text</source>
        <translation>einem Eintrag fehlt die ID, der Raum oder der Text</translation>
    </message>
    <message>
        <source>The outbox %1 is corrupt (%2); it was moved to %3 and the outbox starts empty</source>
        <translation>Der Postausgang %1 ist beschädigt (%2); er wurde nach %3 verschoben und der Postausgang beginnt leer</translation>
    </message>
    <message>
        <source>The outbox %1 is corrupt (%2) and could not be backed up</source>
        <translation>Der Postausgang %1 ist beschädigt (%2) und konnte nicht gesichert werden</translation>
    </message>
    <message>
        <source>Cannot write the outbox %1: %2</source>
        <translation>Der Postausgang %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>The outbox is full (%1 messages waiting); message not accepted</source>
        <translation>Der Postausgang ist voll (%1 Nachrichten warten); Nachricht nicht angenommen</translation>
    </message>
    <message>
        <source>The outbox is full (%1 bytes waiting, limit %2); message not accepted</source>
        <translation>Der Postausgang ist voll (%1 Bytes warten, Grenze %2); Nachricht nicht angenommen</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Preference pages</source>
        <translation>Seiten der Einstellungen</translation>
    </message>
</context>
<context>
    <name>QWebSocketDataProcessor</name>
    <message>
        <source>Timeout when reading data from socket.</source>
        <translation>Zeitüberschreitung beim Lesen von Daten aus dem Socket.</translation>
    </message>
</context>
<context>
    <name>ReplyBar</name>
    <message>
        <source>Reply or edit</source>
        <translation>Antworten oder bearbeiten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel (Escape)</source>
        <translation>Abbrechen (Escape)</translation>
    </message>
</context>
<context>
    <name>RoomListDock</name>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Betreten</translation>
    </message>
    <message>
        <source>Room list</source>
        <translation>Raumliste</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Join a room, or create it by joining</source>
        <translation>Einen Raum betreten oder ihn durch Betreten anlegen</translation>
    </message>
    <message>
        <source>Room name to join</source>
        <translation>Name des Raums zum Betreten</translation>
    </message>
    <message>
        <source>Join room</source>
        <translation>Raum betreten</translation>
    </message>
    <message>
        <source>Notify me about</source>
        <translation>Benachrichtigen bei</translation>
    </message>
    <message>
        <source>&amp;All messages</source>
        <translation>&amp;Allen Nachrichten</translation>
    </message>
    <message>
        <source>&amp;Mentions only</source>
        <translation>Nur &amp;Erwähnungen</translation>
    </message>
    <message>
        <source>&amp;Nothing</source>
        <translation>&amp;Nichts</translation>
    </message>
    <message>
        <source>Room list header</source>
        <translation>Kopfzeile der Raumliste</translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n user(s)</source>
        <translation>
            <numerusform>%1: %n Benutzer</numerusform>
            <numerusform>%1: %n Benutzer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ungelesen</numerusform>
            <numerusform>%1, %n ungelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n mentioning you</source>
        <translation>
            <numerusform>, %n Erwähnung von Ihnen</numerusform>
            <numerusform>, %n Erwähnungen von Ihnen</numerusform>
        </translation>
    </message>
    <message>
        <source>, notifies mentions only</source>
        <translation>, benachrichtigt nur bei Erwähnungen</translation>
    </message>
    <message>
        <source>, notifications off</source>
        <translation>, Benachrichtigungen aus</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Nachrichten suchen</translation>
    </message>
    <message>
        <source>Search every room (Enter: next, Esc: close)</source>
        <translation>Alle Räume durchsuchen (Eingabe: nächster Treffer, Esc: schließen)</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Search result count</source>
        <translation>Anzahl der Suchergebnisse</translation>
    </message>
    <message>
        <source>Close search</source>
        <translation>Suche schließen</translation>
    </message>
    <message>
        <source>No results</source>
        <translation>Keine Ergebnisse</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n Ergebnis</numerusform>
            <numerusform>%n Ergebnisse</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchResultDelegate</name>
    <message>
        <source>#%1 · %2 · %3</source>
        <translation>#%1 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>ServerPane</name>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>The original message is no longer available</source>
        <translation>Die ursprüngliche Nachricht ist nicht mehr verfügbar</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht an #%1 (Eingabe sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <source>The name %1 is in use by someone else; choose another in Preferences → Name</source>
        <translation>Der Name %1 wird schon von jemand anderem verwendet; wählen Sie einen anderen unter Einstellungen → Name</translation>
    </message>
    <message>
        <source>Could not read a message from the server: %1</source>
        <translation>Eine Nachricht des Servers konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Dateien anhängen</translation>
    </message>
    <message>
        <source>Send files to the room (or drop them on the window, or paste them)</source>
        <translation>Dateien in den Raum senden (oder auf das Fenster ziehen oder einfügen)</translation>
    </message>
    <message>
        <source>Files: %1</source>
        <translation>Dateien: %1</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Joining…</source>
        <translation>Tritt bei …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindet …</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbindet neu …</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>The server %1 presented a certificate that could not be verified:

%2

SHA-256 fingerprint:
%3

Trust it only if you know this is your server&apos;s certificate.</source>
        <translation>Der Server %1 hat ein Zertifikat vorgelegt, das nicht überprüft werden konnte:

%2

SHA-256-Fingerabdruck:
%3

Vertrauen Sie ihm nur, wenn Sie wissen, dass es das Zertifikat Ihres Servers ist.</translation>
    </message>
    <message>
        <source>Untrusted Certificate</source>
        <translation>Nicht vertrauenswürdiges Zertifikat</translation>
    </message>
    <message>
        <source>Trust and Connect</source>
        <translation>Vertrauen und verbinden</translation>
    </message>
</context>
<context>
    <name>ServerRoomsModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>, %n unread</source>
        <translation>
            <numerusform>, %n ungelesen</numerusform>
            <numerusform>, %n ungelesen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServersPage</name>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Add a server</source>
        <translation>Einen Server hinzufügen</translation>
    </message>
    <message>
        <source>Edit the chosen server</source>
        <translation>Den gewählten Server bearbeiten</translation>
    </message>
    <message>
        <source>Remove the chosen server</source>
        <translation>Den gewählten Server entfernen</translation>
    </message>
    <message>
        <source>Server problem</source>
        <translation>Problem mit dem Server</translation>
    </message>
    <message>
        <source>Natter connects to all of these servers side by side. Changes apply at once.</source>
        <translation>Natter verbindet sich mit all diesen Servern gleichzeitig. Änderungen gelten sofort.</translation>
    </message>
    <message>
        <source>Natter hosts one server on this computer, and it is in the list already.</source>
        <translation>Natter bietet nur einen Server auf diesem Computer an, und der steht schon in der Liste.</translation>
    </message>
    <message>
        <source>%1 is in the list already.</source>
        <translation>%1 steht schon in der Liste.</translation>
    </message>
    <message>
        <source>Hosted by Natter</source>
        <translation>Von Natter bereitgestellt</translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <translation>%1 als %2</translation>
    </message>
    <message>
        <source>Other addresses: %1</source>
        <translation>Weitere Adressen: %1</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message>
        <source>Clear Cache…</source>
        <translation>Nachrichtenspeicher leeren …</translation>
    </message>
    <message>
        <source>Cache size limit</source>
        <translation>Größengrenze des Nachrichtenspeichers</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <source>Cache age limit</source>
        <translation>Altersgrenze des Nachrichtenspeichers</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Current cache size</source>
        <translation>Aktuelle Größe des Nachrichtenspeichers</translation>
    </message>
    <message>
        <source>Clear cache</source>
        <translation>Nachrichtenspeicher leeren</translation>
    </message>
    <message>
        <source>Natter keeps the messages it receives on this computer, so rooms open at once, even offline, and search finds what was said. The oldest messages go first when a limit is reached.</source>
        <translation>Natter bewahrt die empfangenen Nachrichten auf diesem Computer auf, damit Räume sofort öffnen, auch offline, und die Suche findet, was gesagt wurde. Ist eine Grenze erreicht, werden die ältesten Nachrichten zuerst entfernt.</translation>
    </message>
    <message>
        <source>Keep at most:</source>
        <translation>Höchstens behalten:</translation>
    </message>
    <message>
        <source>Keep messages for:</source>
        <translation>Nachrichten behalten für:</translation>
    </message>
    <message>
        <source>Size now:</source>
        <translation>Aktuelle Größe:</translation>
    </message>
    <message>
        <source>No cache (it could not be opened)</source>
        <translation>Kein Nachrichtenspeicher (er konnte nicht geöffnet werden)</translation>
    </message>
    <message>
        <source>Clear Cache</source>
        <translation>Nachrichtenspeicher leeren</translation>
    </message>
    <message>
        <source>Forget every message kept on this computer, of every server? Messages on screen stay until you leave the room; the server still has what it keeps.</source>
        <translation>Alle auf diesem Computer aufbewahrten Nachrichten aller Server vergessen? Angezeigte Nachrichten bleiben, bis Sie den Raum verlassen; der Server behält, was er aufbewahrt.</translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <source>No keyring service is running (no Secret Service or KWallet was found).</source>
        <translation>Es läuft kein Schlüsselbund-Dienst (weder Secret Service noch KWallet wurde gefunden).</translation>
    </message>
    <message>
        <source>No keyring service answered (%1).</source>
        <translation>Kein Schlüsselbund-Dienst hat geantwortet (%1).</translation>
    </message>
    <message>
        <source>Cannot create the directory %1</source>
        <translation>Das Verzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2</source>
        <translation>%1 kann nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>The keyring did not give the token: %1</source>
        <translation>Der Schlüsselbund hat das Token nicht herausgegeben: %1</translation>
    </message>
    <message>
        <source>The keyring did not keep the token: %1</source>
        <translation>Der Schlüsselbund hat das Token nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>The keyring did not remove the token: %1</source>
        <translation>Der Schlüsselbund hat das Token nicht entfernt: %1</translation>
    </message>
</context>
<context>
    <name>TransferPresenter</name>
    <message>
        <source>Could not send “%1”: %2</source>
        <translation>„%1“ konnte nicht gesendet werden: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 sent a file in #%2</source>
        <translation>%1 hat eine Datei in #%2 gesendet</translation>
    </message>
    <message>
        <source>%1: Save… to keep it</source>
        <translation>%1: Speichern …, um sie zu behalten</translation>
    </message>
    <message>
        <source>“%1” is a folder: only files can be sent (send the files in it, or an archive of it)</source>
        <translation>„%1“ ist ein Ordner: nur Dateien können gesendet werden (senden Sie die Dateien darin oder ein Archiv davon)</translation>
    </message>
    <message>
        <source>Could not send the pasted image: it holds no picture</source>
        <translation>Das eingefügte Bild konnte nicht gesendet werden: es enthält kein Bild</translation>
    </message>
    <message>
        <source>Could not send the pasted image: no temporary folder (%1)</source>
        <translation>Das eingefügte Bild konnte nicht gesendet werden: kein temporärer Ordner (%1)</translation>
    </message>
    <message>
        <source>Could not send the pasted image: writing %1 failed</source>
        <translation>Das eingefügte Bild konnte nicht gesendet werden: das Schreiben von %1 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not save “%1”: %2</source>
        <translation>„%1“ konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Could not open “%1”: the file is no longer there</source>
        <translation>„%1“ konnte nicht geöffnet werden: die Datei ist nicht mehr da</translation>
    </message>
    <message>
        <source>Could not open “%1”: no application is set up for it</source>
        <translation>„%1“ konnte nicht geöffnet werden: dafür ist keine Anwendung eingerichtet</translation>
    </message>
</context>
<context>
    <name>TransferText</name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>noch %n s</numerusform>
            <numerusform>noch %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>noch %n min</numerusform>
            <numerusform>noch %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h left</source>
        <translation>
            <numerusform>noch %n h</numerusform>
            <numerusform>noch %n h</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Wartet auf den Versand</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>larger than you receive without asking: Cancel to decline, Save… once received to keep</source>
        <translation>größer als das, was Sie ohne Nachfrage empfangen: Abbrechen zum Ablehnen, nach dem Empfang Speichern … zum Behalten</translation>
    </message>
    <message>
        <source>Interrupted at %1: continues when reconnected</source>
        <translation>Unterbrochen bei %1: wird nach der Neuverbindung fortgesetzt</translation>
    </message>
    <message>
        <source>Received, not kept yet: Save… to keep it (it is deleted when Natter quits)</source>
        <translation>Empfangen, noch nicht behalten: Speichern … zum Behalten (die Datei wird beim Beenden von Natter gelöscht)</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Abgebrochen: %1</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — %n ungelesen</numerusform>
            <numerusform>Natter — %n ungelesen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>Typing indicator</source>
        <translation>Tippanzeige</translation>
    </message>
</context>
<context>
    <name>TypingText</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 tippt …</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 tippen …</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere Personen tippen …</translation>
    </message>
</context>
<context>
    <name>UserListDock</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Users in this room</source>
        <translation>Benutzer in diesem Raum</translation>
    </message>
    <message>
        <source>Users (%1)</source>
        <translation>Benutzer (%1)</translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
</context>
</TS>
