<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Natter %1&lt;/h2&gt;&lt;p&gt;Chat in rooms over WebSockets, with a connection you can always see: latency, reconnects and messages waiting to be sent.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter icon</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppLauncher</name>
    <message>
        <source>No message cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer is open already</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppSettings</name>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text size of messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also Ctrl+Plus, Ctrl+Minus and Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text &amp;size:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message>
        <source>attempt %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no `connected` message after %1 ms (connect timeout)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no connection after %1 ms (connect timeout)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed by the user (no close reply from the server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no pong for %1 ms: connection is dead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network is back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>woke from sleep (%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a WebSocket URL: &quot;%1&quot; (expected ws://host:port or wss://…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server is busy (503)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection lost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server&apos;s certificate is not trusted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; gave up after %2 attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not delivered: gave up reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; attempt %2 in %3 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; retrying in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attempt %1 to %2 (reconnect now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting to %1 (reconnect now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnecting at the user&apos;s request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection attempt cancelled by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server ended your session (the password was changed or the account removed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name %1 was taken over by a newer connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server is busy (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection closed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logging in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your session on %1 has expired: log in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs you to log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logged out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: try again in %n s</source>
        <translation>
            <numerusform>%1: try again in %n s</numerusform>
            <numerusform>%1: try again in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>this server does not let anyone create an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name %1 already has an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not accept this user name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a password has 1 to 1,024 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the login: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server to log in to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already logged in as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name %1 is in use by someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent older messages of %1 that do not end where they were asked for; ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not confirmed by the server; it may have been delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An empty message is not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long (%1 bytes; at most %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a room: join one first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <source>%1 mentioned you in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more)</source>
        <translation>
            <numerusform>%1 (and %n more)</numerusform>
            <numerusform>%1 (and %n more)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 joined the room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left the room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>&amp;Host a chat on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to a server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host a chat on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other addresses of this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Further nodes of the same server, separated by commas. When the connection fails, Natter tries the next address in turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other a&amp;ddresses:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionChoice</name>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a server address such as ws://chat.example.org:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address must start with ws:// or wss://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other addresses must be ws:// or wss:// addresses, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Restore Defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First wait before reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest wait before reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait growth per attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency ping interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection lost after no answer for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency samples kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore default connection settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most networks need none of this. Changes apply to the connection at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;First wait:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Each further wait grows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Longest wait:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ping every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection &amp;lost after no answer for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Samples kept:</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server software</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pongs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosted server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Software:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Features:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pongs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosting:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect attempt %1 scheduled in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not hosting a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (others on your network: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, protocol %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base server (no extensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (base protocol)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>last %1 ago, %n missed</source>
        <translation>
            <numerusform>last %1 ago, %n missed</numerusform>
            <numerusform>last %1 ago, %n missed</numerusform>
        </translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurements yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current %1 ms · min %2 · mean %3
p95 %4 · jitter %5 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
via %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection indicator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server degraded — messages wait in the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server degraded: %1 — messages wait in the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining on %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1 (attempt %2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging in to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s (attempt %1)</source>
        <translation>
            <numerusform>Reconnecting in %n s (attempt %1)</numerusform>
            <numerusform>Reconnecting in %n s (attempt %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gave up reconnecting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) queued</source>
        <translation>
            <numerusform>%n message queued</numerusform>
            <numerusform>%n messages queued</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>sending %n message(s)</source>
        <translation>
            <numerusform>sending %n message</numerusform>
            <numerusform>sending %n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationPresenter</name>
    <message>
        <source>Replying to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editing your message (Enter saves, Escape cancels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this message for everyone in the room? It shows as &quot;message deleted&quot; from then on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilePicker</name>
    <message>
        <source>Send Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download Folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileTransfers</name>
    <message>
        <source>Not connected to a chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder, not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a room: join one first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too large: %2, the server takes at most %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server stored %1 instead of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled by you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: you left %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection lost before the file was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server offered the same stream again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: receiving files is turned off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1 announced a negative size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1 is %2, more than the limit of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Refused: %n file(s) are arriving already</source>
        <translation>
            <numerusform>Refused: %n file is arriving already</numerusform>
            <numerusform>Refused: %n files are arriving already</numerusform>
        </translation>
    </message>
    <message>
        <source>Binary data from a server that does not relay files is ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More data for unknown streams is ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunk %1 of unknown stream %2 ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server finished stream %1, which it never offered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sender stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No completed download %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The downloaded file %1 is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot copy to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilesPage</name>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: each file waits until you save it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the download folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download folder problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive files without asking up to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any size, never ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest file received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the server allows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger files than “without asking” wait for Save… or Cancel while they arrive; files over the largest size are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive &amp;without asking up to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Largest file received:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter cannot write to “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no folder “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename yourself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name others see you as, and the one Natter connects with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name is now %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renaming…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not renamed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this server your name is your account, %1. To be someone else, log out and log in with another account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter asks for the name %1 when it connects.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>&amp;Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This image is too large to preview.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file cannot be shown as an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open With…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;100%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LatencyGraph</name>
    <message>
        <source>Latency graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurements yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LatencyIndicator</name>
    <message>
        <source>— ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round-trip latency: no measurements yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Round-trip latency (last %n sample(s))
current %1 ms · min %2 ms · mean %3 ms
p95 %4 ms · jitter %5 ms
Click for connection details</source>
        <translation>
            <numerusform>Round-trip latency (last %n sample)
current %1 ms · min %2 ms · mean %3 ms
p95 %4 ms · jitter %5 ms
Click for connection details</numerusform>
            <numerusform>Round-trip latency (last %n samples)
current %1 ms · min %2 ms · mean %3 ms
p95 %4 ms · jitter %5 ms
Click for connection details</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Connect to the server at &lt;url&gt; (ws://host:port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the server at &lt;url&gt;; repeat for each server (for this run only, not saved). Not together with --url. Several addresses of one server (its nodes), comma-separated, are tried in turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat as &lt;name&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join &lt;room&gt; first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter: chat in rooms over WebSockets, on several servers side by side. Without --url or --server and with no saved server, Natter hosts a server on this computer (port %1, or a free one) and shows the address others can join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use --server for each server, or --url for one, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--server %1 is no server address: use ws://host:port or wss://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LocalServerHost</name>
    <message>
        <source>Could not start a local server: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>No keyring service is running, so Natter cannot store your login safely.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep it in a &amp;file only I can read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Do not keep it (log in again next time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in to Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep your login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the login in a file only I can read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not keep the login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name or password is not right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name %1 is taken. Choose another one, or log in if it is yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session ended; log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has expired; log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not let anyone create an account; log in with an existing one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another name: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password has 1 to 1,024 bytes; choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can try again now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many attempts. Try again in %n second.</numerusform>
            <numerusform>Too many attempts. Try again in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginPresenter</name>
    <message>
        <source>The login did not reach the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your login: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosted server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect To…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear Finished Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Write a Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mark Room as Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to First &amp;Unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jump to Newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the &amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Larger Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;maller Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection &amp;Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Do Not Disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No desktop notifications from any room; unread counts are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find Messages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosting at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer runs the chat server. Others join with: natter --url %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That message is no longer in the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 — Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file transfer(s) still running will be stopped.</source>
        <translation>
            <numerusform>%n file transfer still running will be stopped.</numerusform>
            <numerusform>%n file transfers still running will be stopped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Quit Anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MentionCompleter</name>
    <message>
        <source>Member names</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageCache</name>
    <message>
        <source>The message cache %1 was not usable (%2); it was moved to %3 and a new one started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the directory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s SQLite driver (QSQLITE) is not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>written by a newer Natter (schema %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the message cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot clear the message cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Stop this transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a copy of the received file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the received file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: will be sent when connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent, waiting for the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent. Click to retry, or right-click to discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>message deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(edited)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an earlier message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↪ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>React</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · image too large to preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation>
            <numerusform>%n other</numerusform>
            <numerusform>%n others</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 reacted with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the message this one answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>React %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageModel</name>
    <message>
        <source>message deleted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageRowAccessible</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>↑ First unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to new messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading older messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to the first unread message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;act</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n new message</numerusform>
            <numerusform>↓ %n new messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Link Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy File Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Original Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View Image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationsPage</name>
    <message>
        <source>&amp;Do not disturb: no desktop notifications from any room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each room notifies all its messages, only those that mention you, or nothing: choose in the room&apos;s menu in the rooms list. Unread messages are counted either way.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>The outbox %1 is in use by another process (%2, pid %3); this session keeps its messages in memory only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use the outbox %1 (no write access to its directory); this session keeps its messages in memory only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the outbox %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at offset %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;entries&quot; array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an entry lacks its id, room or text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outbox %1 is corrupt (%2); it was moved to %3 and the outbox starts empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outbox %1 is corrupt (%2) and could not be backed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the outbox %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outbox is full (%1 messages waiting); message not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outbox is full (%1 bytes waiting, limit %2); message not accepted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preference pages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QWebSocketDataProcessor</name>
    <message>
        <source>Timeout when reading data from socket.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyBar</name>
    <message>
        <source>Reply or edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel (Escape)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomListDock</name>
    <message>
        <source>Rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room, or create it by joining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name to join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notify me about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;All messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mentions only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room list header</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <source>%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n user(s)</source>
        <translation>
            <numerusform>%1: %n user</numerusform>
            <numerusform>%1: %n users</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n unread</numerusform>
            <numerusform>%1, %n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n mentioning you</source>
        <translation>
            <numerusform>, %n mentioning you</numerusform>
            <numerusform>, %n mentioning you</numerusform>
        </translation>
    </message>
    <message>
        <source>, notifies mentions only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, notifications off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search every room (Enter: next, Esc: close)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search result count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No results</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchResultDelegate</name>
    <message>
        <source>#%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerPane</name>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The original message is no longer available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name %1 is in use by someone else; choose another in Preferences → Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read a message from the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send files to the room (or drop them on the window, or paste them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server %1 presented a certificate that could not be verified:

%2

SHA-256 fingerprint:
%3

Trust it only if you know this is your server&apos;s certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untrusted Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust and Connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerRoomsModel</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>, %n unread</source>
        <translation>
            <numerusform>, %n unread</numerusform>
            <numerusform>, %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServersPage</name>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the chosen server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the chosen server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter connects to all of these servers side by side. Changes apply at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter hosts one server on this computer, and it is in the list already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in the list already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosted by Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other addresses: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message>
        <source>Clear Cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache size limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache age limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current cache size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter keeps the messages it receives on this computer, so rooms open at once, even offline, and search finds what was said. The oldest messages go first when a limit is reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep at most:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep messages for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cache (it could not be opened)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget every message kept on this computer, of every server? Messages on screen stay until you leave the room; the server still has what it keeps.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <source>No keyring service is running (no Secret Service or KWallet was found).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring service answered (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the directory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring did not give the token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring did not keep the token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring did not remove the token: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferPresenter</name>
    <message>
        <source>Could not send “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a file in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: Save… to keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is a folder: only files can be sent (send the files in it, or an archive of it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not send the pasted image: it holds no picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not send the pasted image: no temporary folder (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not send the pasted image: writing %1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open “%1”: the file is no longer there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open “%1”: no application is set up for it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferText</name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>%n s left</numerusform>
            <numerusform>%n s left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h left</source>
        <translation>
            <numerusform>%n h left</numerusform>
            <numerusform>%n h left</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>larger than you receive without asking: Cancel to decline, Save… once received to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupted at %1: continues when reconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received, not kept yet: Save… to keep it (it is deleted when Natter quits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — %n unread</numerusform>
            <numerusform>Natter — %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>Typing indicator</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TypingText</name>
    <message>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserListDock</name>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users in this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
