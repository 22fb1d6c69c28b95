<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>ApiPanel</name>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Serve the loaded model to other programs on this computer</source>
            <translation>&amp;Serve the loaded model to other programs on this computer</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>An OpenAI-compatible API on 127.0.0.1 only; every request needs the token below</source>
            <translation>An OpenAI-compatible API on 127.0.0.1 only; every request needs the token below</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Port</source>
            <translation>Port</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>API token</source>
            <translation>API token</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Copy</source>
            <translation>&amp;Copy</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Copy the token to the clipboard</source>
            <translation>Copy the token to the clipboard</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Regenerate</source>
            <translation>&amp;Regenerate</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Make a new token; the old one stops working at once</source>
            <translation>Make a new token; the old one stops working at once</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Also in {path}</source>
            <translation>Also in {path}</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>API activity</source>
            <translation>API activity</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>C&amp;lear</source>
            <translation>C&amp;lear</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Clear the activity log</source>
            <translation>Clear the activity log</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Port:</source>
            <translation>&amp;Port:</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Token:</source>
            <translation>Token:</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Activity (client, tokens, time):</source>
            <translation>Activity (client, tokens, time):</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Running at {url}: use it as an OpenAI base URL with the token as the API key.</source>
            <translation>Running at {url}: use it as an OpenAI base URL with the token as the API key.</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Off. Nothing listens until you turn it on.</source>
            <translation>Off. Nothing listens until you turn it on.</translation>
        </message>
    </context>
    <context>
        <name>ChatIO</name>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Open a chat to export it.</source>
            <translation>Open a chat to export it.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Web page (*.html)</source>
            <translation>Web page (*.html)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>JSON (*.json)</source>
            <translation>JSON (*.json)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export chat</source>
            <translation>Export chat</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Import chats</source>
            <translation>Import chats</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Chat exports (*.json *.jsonl *.zip);;All files (*)</source>
            <translation>Chat exports (*.json *.jsonl *.zip);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Back up all chats</source>
            <translation>Back up all chats</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>desktopchat backups (*{suffix})</source>
            <translation>desktopchat backups (*{suffix})</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Restore from backup</source>
            <translation>Restore from backup</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>desktopchat backups (*{suffix});;Zip archives (*.zip);;All files (*)</source>
            <translation>desktopchat backups (*{suffix});;Zip archives (*.zip);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Replace all your chats and settings with the backup {name}, made {when}: {conversations} conversation(s) with {messages} message(s)?

The backup has been checked and is sound. It replaces your chats the next time desktopchat starts; your current chats are then kept aside in the data folder, not deleted.</source>
            <translation>Replace all your chats and settings with the backup {name}, made {when}: {conversations} conversation(s) with {messages} message(s)?

The backup has been checked and is sound. It replaces your chats the next time desktopchat starts; your current chats are then kept aside in the data folder, not deleted.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Restore at next start</source>
            <translation>Restore at next start</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Quit desktopchat now? The restore is done when you start it again.</source>
            <translation>Quit desktopchat now? The restore is done when you start it again.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Quit now</source>
            <translation>Quit now</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Later</source>
            <translation>Later</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Exporting the chat…</source>
            <translation>Exporting the chat…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Importing chats…</source>
            <translation>Importing chats…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Backing up all chats…</source>
            <translation>Backing up all chats…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Checking the backup…</source>
            <translation>Checking the backup…</translation>
        </message>
    </context>
    <context>
        <name>ChatMenu</name>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Find in chat…</source>
            <translation>&amp;Find in chat…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Find words in the open chat</source>
            <translation>Find words in the open chat</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Search all chats…</source>
            <translation>&amp;Search all chats…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Search every chat; results open on the branch they are on</source>
            <translation>Search every chat; results open on the branch they are on</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Export chat…</source>
            <translation>&amp;Export chat…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Save the open chat as Markdown, a web page or complete JSON</source>
            <translation>Save the open chat as Markdown, a web page or complete JSON</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Import chats…</source>
            <translation>&amp;Import chats…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Add chats exported by desktopchat, ChatGPT, LM Studio or Jan</source>
            <translation>Add chats exported by desktopchat, ChatGPT, LM Studio or Jan</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Back up all chats…</source>
            <translation>&amp;Back up all chats…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Save every chat and setting in one archive</source>
            <translation>Save every chat and setting in one archive</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Restore from backup…</source>
            <translation>&amp;Restore from backup…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Replace every chat and setting with a backup's (checked first; done at the next start)</source>
            <translation>Replace every chat and setting with a backup's (checked first; done at the next start)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Cancel the pending restore</source>
            <translation>&amp;Cancel the pending restore</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Keep your chats as they are instead of restoring the backup at the next start</source>
            <translation>Keep your chats as they are instead of restoring the backup at the next start</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Chat</source>
            <translation>Chat</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Chat</source>
            <translation>&amp;Chat</translation>
        </message>
    </context>
    <context>
        <name>ChatView</name>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Reply from {model}: {text}</source>
            <translation>Reply from {model}: {text}</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>the assistant</source>
            <translation>the assistant</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Conversation</source>
            <translation>Conversation</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to latest</source>
            <translation>Jump to latest</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to the latest message</source>
            <translation>Jump to the latest message</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to the latest message (End)</source>
            <translation>Jump to the latest message (End)</translation>
        </message>
    </context>
    <context>
        <name>CodeBlock</name>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Code block</source>
            <translation>Code block</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Copy code</source>
            <translation>Copy code</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Very long lines are broken for display; Copy copies them whole.</source>
            <translation>Very long lines are broken for display; Copy copies them whole.</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>code</source>
            <translation>code</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Message</source>
            <translation>Message</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Enter sends, Shift+Enter starts a new line, Escape stops the reply</source>
            <translation>Enter sends, Shift+Enter starts a new line, Escape stops the reply</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Message the model…  (Enter to send, Shift+Enter for a new line)</source>
            <translation>Message the model…  (Enter to send, Shift+Enter for a new line)</translation>
        </message>
    </context>
    <context>
        <name>ComposerBox</name>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Regenerate</source>
            <translation>Regenerate</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Answer the last message again (the earlier reply is kept)</source>
            <translation>Answer the last message again (the earlier reply is kept)</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Stop</source>
            <translation>Stop</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Send</source>
            <translation>Send</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Stop the reply (Esc)</source>
            <translation>Stop the reply (Esc)</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Send the message (Enter)</source>
            <translation>Send the message (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Think</source>
            <translation>Think</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Think before answering</source>
            <translation>Think before answering</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Let the model reason before it answers in this chat (slower, often better); off: it answers at once</source>
            <translation>Let the model reason before it answers in this chat (slower, often better); off: it answers at once</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Text too long</source>
            <translation>Text too long</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>This text is {size}; the loaded model can read about {room} of a message. Paste the first {room}, or cancel?</source>
            <translation>This text is {size}; the loaded model can read about {room} of a message. Paste the first {room}, or cancel?</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Paste the first part</source>
            <translation>Paste the first part</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>The message is already as long as the model can read; nothing more was pasted.</source>
            <translation>The message is already as long as the model can read; nothing more was pasted.</translation>
        </message>
    </context>
    <context>
        <name>CoreMessages</name>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Enter the server's address, such as http://localhost:8000/v1.</source>
            <translation>Enter the server's address, such as http://localhost:8000/v1.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That address is too long.</source>
            <translation>That address is too long.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address must start with http:// or https://.</source>
            <translation>The address must start with http:// or https://.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address has no host name.</source>
            <translation>The address has no host name.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Put the API key in its own field, not in the address.</source>
            <translation>Put the API key in its own field, not in the address.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address cannot have a query (?) or a fragment (#).</source>
            <translation>The address cannot have a query (?) or a fragment (#).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address has an invalid port number.</source>
            <translation>The address has an invalid port number.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Give the engine a name.</source>
            <translation>Give the engine a name.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The name is too long (at most {count} characters).</source>
            <translation>The name is too long (at most {count} characters).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That API key is not valid.</source>
            <translation>That API key is not valid.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>At most {count} remote engines can be added.</source>
            <translation>At most {count} remote engines can be added.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>There is already an engine named {name}.</source>
            <translation>There is already an engine named {name}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That remote engine no longer exists.</source>
            <translation>That remote engine no longer exists.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That remote engine was removed.</source>
            <translation>That remote engine was removed.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{host} is reached over plain http://: your messages and API key cross the network unencrypted; use https:// unless this network is yours.</source>
            <translation>{host} is reached over plain http://: your messages and API key cross the network unencrypted; use https:// unless this network is yours.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>This system has no keyring, so the API key is kept in {path}, a file only your user account can read.</source>
            <translation>This system has no keyring, so the API key is kept in {path}, a file only your user account can read.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Offline mode is on, so remote engines are not contacted; turn it off to use them.</source>
            <translation>Offline mode is on, so remote engines are not contacted; turn it off to use them.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The models of {name} could not be listed: {reason}.</source>
            <translation>The models of {name} could not be listed: {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} refused the API key (HTTP {status}); check the key in Remote engines.</source>
            <translation>{name} refused the API key (HTTP {status}); check the key in Remote engines.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} has no model named {model}, or its address is not an OpenAI-compatible API (HTTP 404).</source>
            <translation>{name} has no model named {model}, or its address is not an OpenAI-compatible API (HTTP 404).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is not an OpenAI-compatible API at this address (HTTP 404); check the base URL (it usually ends in /v1).</source>
            <translation>{name} is not an OpenAI-compatible API at this address (HTTP 404); check the base URL (it usually ends in /v1).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is limiting requests (HTTP 429); try again in {seconds} s.</source>
            <translation>{name} is limiting requests (HTTP 429); try again in {seconds} s.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is limiting requests (HTTP 429); try again in a moment.</source>
            <translation>{name} is limiting requests (HTTP 429); try again in a moment.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} redirected the request (HTTP {status}); enter the address it redirects to.</source>
            <translation>{name} redirected the request (HTTP {status}); enter the address it redirects to.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} failed with a server error (HTTP {status}): {reason}.</source>
            <translation>{name} failed with a server error (HTTP {status}): {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} failed with a server error (HTTP {status}).</source>
            <translation>{name} failed with a server error (HTTP {status}).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} rejected the request (HTTP {status}): {reason}.</source>
            <translation>{name} rejected the request (HTTP {status}): {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} rejected the request (HTTP {status}).</source>
            <translation>{name} rejected the request (HTTP {status}).</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>A request to a server other than {name} was refused.</source>
            <translation>A request to a server other than {name} was refused.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} stopped sending the reply (nothing arrived for too long); the partial reply was kept.</source>
            <translation>{name} stopped sending the reply (nothing arrived for too long); the partial reply was kept.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The connection to {name} dropped in the middle of the reply; the partial reply was kept.</source>
            <translation>The connection to {name} dropped in the middle of the reply; the partial reply was kept.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The secure (TLS) connection to {name} failed: {reason}.</source>
            <translation>The secure (TLS) connection to {name} failed: {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} at {host} did not answer; check the address and that it is running.</source>
            <translation>{name} at {host} did not answer; check the address and that it is running.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} at {host} cannot be reached; check the address and that it is running.</source>
            <translation>{name} at {host} cannot be reached; check the address and that it is running.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} did not start replying in time; it may be overloaded.</source>
            <translation>{name} did not start replying in time; it may be overloaded.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} closed the connection before replying.</source>
            <translation>{name} closed the connection before replying.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The request to {name} failed: {reason}.</source>
            <translation>The request to {name} failed: {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{port} is not a valid port number.</source>
            <translation>{port} is not a valid port number.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Port {port} is already in use; pick another port.</source>
            <translation>Port {port} is already in use; pick another port.</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The local API could not listen on port {port}: {reason}.</source>
            <translation>The local API could not listen on port {port}: {reason}.</translation>
        </message>
    </context>
    <context>
        <name>DownloadsPanel</name>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Paused because Offline mode is on; it continues when Offline is turned off (or press Resume then).</source>
            <translation>Paused because Offline mode is on; it continues when Offline is turned off (or press Resume then).</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>ETA {time}</source>
            <translation>ETA {time}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>from {repo} at {revision}</source>
            <translation>from {repo} at {revision}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Download progress of {name}</source>
            <translation>Download progress of {name}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Waiting…</source>
            <translation>Waiting…</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Retry</source>
            <translation>Retry</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>No downloads yet. Pick a model in “Get models” and press Download.</source>
            <translation>No downloads yet. Pick a model in “Get models” and press Download.</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Waiting… ({size})</source>
            <translation>Waiting… ({size})</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Starting…</source>
            <translation>Starting…</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>{done} of {total} · {speed}/s · {eta}</source>
            <translation>{done} of {total} · {speed}/s · {eta}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Paused at {done} of {total}; Resume continues from there (also after a restart).</source>
            <translation>Paused at {done} of {total}; Resume continues from there (also after a restart).</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Installed and verified; pick it in the model list.</source>
            <translation>Installed and verified; pick it in the model list.</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Cancelled; the partial file was removed.</source>
            <translation>Cancelled; the partial file was removed.</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export chat</source>
            <translation>Export chat</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export “{title}” as:</source>
            <translation>Export “{title}” as:</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Markdown (.md)</source>
            <translation>Markdown (.md)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>The conversation as shown, for notes and documents.</source>
            <translation>The conversation as shown, for notes and documents.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Web page (.html)</source>
            <translation>Web page (.html)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>One self-contained page that opens in any browser; no scripts.</source>
            <translation>One self-contained page that opens in any browser; no scripts.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>JSON (.json)</source>
            <translation>JSON (.json)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Complete: every branch, reasoning, models and settings; imports back.</source>
            <translation>Complete: every branch, reasoning, models and settings; imports back.</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Include reasoning (the model's thinking)</source>
            <translation>Include reasoning (the model's thinking)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Include reasoning</source>
            <translation>Include reasoning</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export…</source>
            <translation>Export…</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <location filename="../../ui/search.py" />
            <source>Find in chat</source>
            <translation>Find in chat</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Matches</source>
            <translation>Matches</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Previous match (Shift+Enter)</source>
            <translation>Previous match (Shift+Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Next match (Enter)</source>
            <translation>Next match (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Close (Esc)</source>
            <translation>Close (Esc)</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Search failed</source>
            <translation>Search failed</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>{i} of {n}</source>
            <translation>{i} of {n}</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>No matches</source>
            <translation>No matches</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source> · {n} on other branches</source>
            <translation> · {n} on other branches</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Search all chats (Ctrl+Shift+F) lists the matches on other branches</source>
            <translation>Search all chats (Ctrl+Shift+F) lists the matches on other branches</translation>
        </message>
    </context>
    <context>
        <name>HubPanel</name>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search the Hub for GGUF models, e.g. “qwen3” or “llama 3.2”</source>
            <translation>Search the Hub for GGUF models, e.g. “qwen3” or “llama 3.2”</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search the Hub</source>
            <translation>Search the Hub</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Sort results by</source>
            <translation>Sort results by</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Most downloaded</source>
            <translation>Most downloaded</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Most liked</source>
            <translation>Most liked</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recently updated</source>
            <translation>Recently updated</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recommended</source>
            <translation>Recommended</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Models</source>
            <translation>Models</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>File</source>
            <translation>File</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Size</source>
            <translation>Size</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Fit</source>
            <translation>Fit</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Files of the chosen model</source>
            <translation>Files of the chosen model</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Download</source>
            <translation>Download</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{description}
Licence: {licence}
Repo: {repo}</source>
            <translation>{description}
Licence: {licence}
Repo: {repo}</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recommended models for ordinary laptops. Search to see any GGUF model on the Hub.</source>
            <translation>Recommended models for ordinary laptops. Search to see any GGUF model on the Hub.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Searching for “{query}”…</source>
            <translation>Searching for “{query}”…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{downloads} downloads · {likes} likes · {date}</source>
            <translation>{downloads} downloads · {likes} likes · {date}</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>gated</source>
            <translation>gated</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{count} models found.</source>
            <translation>{count} models found.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>No GGUF models found.</source>
            <translation>No GGUF models found.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Listing the files of {repo}…</source>
            <translation>Listing the files of {repo}…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source> ({count} parts)</source>
            <translation> ({count} parts)</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Select the file to read its header and estimate the fit.</source>
            <translation>Select the file to read its header and estimate the fit.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>This model is gated: you need an access token.</source>
            <translation>This model is gated: you need an access token.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{repo}: {count} GGUF file(s) at commit {commit}.</source>
            <translation>{repo}: {count} GGUF file(s) at commit {commit}.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{repo} has no GGUF files.</source>
            <translation>{repo} has no GGUF files.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Reading the model's header to estimate the fit…</source>
            <translation>Reading the model's header to estimate the fit…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{architecture}, {layers} layers, trained context {context} tokens, {size} of weights.</source>
            <translation>{architecture}, {layers} layers, trained context {context} tokens, {size} of weights.</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{name} was added to Downloads.</source>
            <translation>{name} was added to Downloads.</translation>
        </message>
    </context>
    <context>
        <name>MainToolBar</name>
        <message>
            <location filename="../../ui/toolbar.py" />
            <source>Main toolbar</source>
            <translation>Main toolbar</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>This chat has no messages to fork yet.</source>
            <translation>This chat has no messages to fork yet.</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Delete message</source>
            <translation>Delete message</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Delete this message and everything that follows it on this branch?</source>
            <translation>Delete this message and everything that follows it on this branch?</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>There is no reply to copy yet.</source>
            <translation>There is no reply to copy yet.</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Copied the last reply.</source>
            <translation>Copied the last reply.</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>About desktopchat</source>
            <translation>About desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>desktopchat {version}

Chat privately with open language models on your own computer, offline. Apache-2.0 licence; icons by Lucide (ISC licence).</source>
            <translation>desktopchat {version}

Chat privately with open language models on your own computer, offline. Apache-2.0 licence; icons by Lucide (ISC licence).</translation>
        </message>
    </context>
    <context>
        <name>MessageRow</name>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Edit message</source>
            <translation>Edit message</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Enter saves and resends, Escape cancels</source>
            <translation>Enter saves and resends, Escape cancels</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Show reasoning</source>
            <translation>Show reasoning</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Reasoning</source>
            <translation>Reasoning</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Hide reasoning</source>
            <translation>Hide reasoning</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Thinking… {seconds} s</source>
            <translation>Thinking… {seconds} s</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Thought for {seconds} s</source>
            <translation>Thought for {seconds} s</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Notice: {text}</source>
            <translation>Notice: {text}</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Message from {who}</source>
            <translation>Message from {who}</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy message</source>
            <translation>Copy message</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy as Markdown</source>
            <translation>Copy as Markdown</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy as plain text</source>
            <translation>Copy as plain text</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Delete message</source>
            <translation>Delete message</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Previous version</source>
            <translation>Previous version</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Next version</source>
            <translation>Next version</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Version {index} of {count}</source>
            <translation>Version {index} of {count}</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copied</source>
            <translation>Copied</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>You</source>
            <translation>You</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>System</source>
            <translation>System</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Assistant</source>
            <translation>Assistant</translation>
        </message>
    </context>
    <context>
        <name>MessageStatus</name>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>stopped</source>
            <translation>stopped</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>cut off at the length limit</source>
            <translation>cut off at the length limit</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>the model failed while replying</source>
            <translation>the model failed while replying</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>interrupted when the app closed</source>
            <translation>interrupted when the app closed</translation>
        </message>
    </context>
    <context>
        <name>MessageText</name>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>Message text</source>
            <translation>Message text</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because it is very long.</source>
            <translation>Shown as plain text because it is very long.</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because it is nested too deeply.</source>
            <translation>Shown as plain text because it is nested too deeply.</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because its formatting is too complex to show quickly.</source>
            <translation>Shown as plain text because its formatting is too complex to show quickly.</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Message text, plain</source>
            <translation>Message text, plain</translation>
        </message>
    </context>
    <context>
        <name>ModelControls</name>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>this model</source>
            <translation>this model</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Import model</source>
            <translation>Import model</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloads are not available here.</source>
            <translation>Downloads are not available here.</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Asking the Hub for the file…</source>
            <translation>Asking the Hub for the file…</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>That file is no longer in the repository.</source>
            <translation>That file is no longer in the repository.</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloading (see Models → Downloads); it appears in the model list when it is done.</source>
            <translation>Downloading (see Models → Downloads); it appears in the model list when it is done.</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloaded: pick it in the model list to chat with it.</source>
            <translation>Downloaded: pick it in the model list to chat with it.</translation>
        </message>
    </context>
    <context>
        <name>ModelPicker</name>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Fits</source>
            <translation>Fits</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Tight fit</source>
            <translation>Tight fit</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Won't fit</source>
            <translation>Won't fit</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>This model has no chat template; it will not follow instructions well.</source>
            <translation>This model has no chat template; it will not follow instructions well.</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>The model that answers; pick another to load it</source>
            <translation>The model that answers; pick another to load it</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Choose a model…</source>
            <translation>Choose a model…</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>No models yet: download or import one</source>
            <translation>No models yet: download or import one</translation>
        </message>
    </context>
    <context>
        <name>ModelSettingsDialog</name>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Temperature</source>
            <translation>Temperature</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Top P</source>
            <translation>Top P</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Top K</source>
            <translation>Top K</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Min P</source>
            <translation>Min P</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Repeat penalty</source>
            <translation>Repeat penalty</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Max reply tokens</source>
            <translation>Max reply tokens</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Context length (tokens)</source>
            <translation>Context length (tokens)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>CPU threads (0 = automatic)</source>
            <translation>CPU threads (0 = automatic)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Seed (-1 = random)</source>
            <translation>Seed (-1 = random)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>GPU layers (-1 = as many as fit)</source>
            <translation>GPU layers (-1 = as many as fit)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Run on</source>
            <translation>Run on</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>GPU memory limit for all models (MB, 0 = none)</source>
            <translation>GPU memory limit for all models (MB, 0 = none)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Settings for {name}</source>
            <translation>Settings for {name}</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>System prompt</source>
            <translation>System prompt</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Automatic (the best GPU, else the CPU)</source>
            <translation>Automatic (the best GPU, else the CPU)</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>CPU only</source>
            <translation>CPU only</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>{device} (not present now)</source>
            <translation>{device} (not present now)</translation>
        </message>
    </context>
    <context>
        <name>ModelsPage</name>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Size on disk</source>
            <translation>Size on disk</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Last used</source>
            <translation>Last used</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Fit</source>
            <translation>Fit</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Runs on</source>
            <translation>Runs on</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✗ Cannot be used</source>
            <translation>✗ Cannot be used</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✓ Fits</source>
            <translation>✓ Fits</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>! Tight</source>
            <translation>! Tight</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✗ Won't fit</source>
            <translation>✗ Won't fit</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>GGUF models (*.gguf);;All files (*)</source>
            <translation>GGUF models (*.gguf);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Starter model</source>
            <translation>Starter model</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Models folder</source>
            <translation>Models folder</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Downloaded</source>
            <translation>Downloaded</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Imported (in place)</source>
            <translation>Imported (in place)</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Imported (copy)</source>
            <translation>Imported (copy)</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Hugging Face cache</source>
            <translation>Hugging Face cache</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>LM Studio</source>
            <translation>LM Studio</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Ollama</source>
            <translation>Ollama</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Get models</source>
            <translation>Get models</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Downloads</source>
            <translation>Downloads</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>never</source>
            <translation>never</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>just now</source>
            <translation>just now</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} min ago</source>
            <translation>{n} min ago</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} h ago</source>
            <translation>{n} h ago</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} days ago</source>
            <translation>{n} days ago</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Delete {name}? The file ({size}) is removed from disk and the space is freed.</source>
            <translation>Delete {name}? The file ({size}) is removed from disk and the space is freed.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Forget {name}? It disappears from the list, but the file is not deleted: it stays at {path}.</source>
            <translation>Forget {name}? It disappears from the list, but the file is not deleted: it stays at {path}.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>About {total} of memory at a context of {n_ctx} tokens: {weights} of weights, {kv} of conversation memory (KV cache{note}) and {work} of working space.</source>
            <translation>About {total} of memory at a context of {n_ctx} tokens: {weights} of weights, {kv} of conversation memory (KV cache{note}) and {work} of working space.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it fits with room to spare.</source>
            <translation>This computer has {free} free right now, so it fits with room to spare.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it fits, but only just: close other programs first.</source>
            <translation>This computer has {free} free right now, so it fits, but only just: close other programs first.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it won't fit: pick a smaller file or a shorter context.</source>
            <translation>This computer has {free} free right now, so it won't fit: pick a smaller file or a shorter context.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>How much memory is free could not be read, so this is only a guess.</source>
            <translation>How much memory is free could not be read, so this is only a guess.</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Models</source>
            <translation>Models</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Installed models</source>
            <translation>Installed models</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Model pages</source>
            <translation>Model pages</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>About the selected model</source>
            <translation>About the selected model</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>What happened</source>
            <translation>What happened</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Import…</source>
            <translation>Import…</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Copy imported files into the app's models folder</source>
            <translation>Copy imported files into the app's models folder</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Load</source>
            <translation>Load</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Installed</source>
            <translation>Installed</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>  (loaded)</source>
            <translation>  (loaded)</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Forget</source>
            <translation>Forget</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Remove model</source>
            <translation>Remove model</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Import model</source>
            <translation>Import model</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Added {name}.</source>
            <translation>Added {name}.</translation>
        </message>
    </context>
    <context>
        <name>Notifications</name>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Notifications</source>
            <translation>Notifications</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Preferences</source>
            <translation>Preferences</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Like the system</source>
            <translation>Like the system</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Light</source>
            <translation>Light</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Dark</source>
            <translation>Dark</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>System size</source>
            <translation>System size</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source> pt</source>
            <translation> pt</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Text size</source>
            <translation>Text size</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Language</source>
            <translation>Language</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Hide the models' reasoning (“Thought for …” sections)</source>
            <translation>Hide the models' reasoning (“Thought for …” sections)</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Reasoning is still kept with each reply; it is only not shown</source>
            <translation>Reasoning is still kept with each reply; it is only not shown</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Look:</source>
            <translation>Look:</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Text size:</source>
            <translation>Text size:</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Language:</source>
            <translation>Language:</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Reasoning:</source>
            <translation>Reasoning:</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>The new language is used the next time desktopchat starts.</source>
            <translation>The new language is used the next time desktopchat starts.</translation>
        </message>
    </context>
    <context>
        <name>PresetEditor</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Presets</source>
            <translation>Presets</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>New</source>
            <translation>New</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Duplicate</source>
            <translation>Duplicate</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>System prompt</source>
            <translation>System prompt</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Empty: the model's own system prompt</source>
            <translation>Empty: the model's own system prompt</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>&amp;Name</source>
            <translation>&amp;Name</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>&amp;System prompt</source>
            <translation>&amp;System prompt</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Problem</source>
            <translation>Problem</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Save</source>
            <translation>Save</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Revert</source>
            <translation>Revert</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>{name} (comes with the app)</source>
            <translation>{name} (comes with the app)</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>This preset comes with the app and cannot be changed; Duplicate makes a copy you can change.</source>
            <translation>This preset comes with the app and cannot be changed; Duplicate makes a copy you can change.</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>New preset</source>
            <translation>New preset</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>{name} copy</source>
            <translation>{name} copy</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete preset</source>
            <translation>Delete preset</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete the preset “{name}”? Chats that use it go back to the model's own settings.</source>
            <translation>Delete the preset “{name}”? Chats that use it go back to the model's own settings.</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Keep</source>
            <translation>Keep</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Close without saving your changes?</source>
            <translation>Close without saving your changes?</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Discard changes</source>
            <translation>Discard changes</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Keep editing</source>
            <translation>Keep editing</translation>
        </message>
    </context>
    <context>
        <name>PresetMenu</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Model's own settings</source>
            <translation>Model's own settings</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Use the model's settings, without a preset</source>
            <translation>Use the model's settings, without a preset</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Manage presets…</source>
            <translation>Manage presets…</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Create, change or delete your own presets</source>
            <translation>Create, change or delete your own presets</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Model's own</source>
            <translation>Model's own</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Preset: {name}</source>
            <translation>Preset: {name}</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>The preset this chat uses: {name}</source>
            <translation>The preset this chat uses: {name}</translation>
        </message>
    </context>
    <context>
        <name>Presets</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Temperature</source>
            <translation>Temperature</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Top-p</source>
            <translation>Top-p</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Top-k</source>
            <translation>Top-k</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Min-p</source>
            <translation>Min-p</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Repeat penalty</source>
            <translation>Repeat penalty</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Max tokens</source>
            <translation>Max tokens</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Only a system prompt</source>
            <translation>Only a system prompt</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Set {label}</source>
            <translation>Set {label}</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Unticked: the model's own {label}</source>
            <translation>Unticked: the model's own {label}</translation>
        </message>
    </context>
    <context>
        <name>RemoteEnginesPage</name>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Offline mode is on: remote engines are not contacted and cannot be used.</source>
            <translation>Offline mode is on: remote engines are not contacted and cannot be used.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Remote engines</source>
            <translation>Remote engines</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Engine name</source>
            <translation>Engine name</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>GPU server</source>
            <translation>GPU server</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Base URL</source>
            <translation>Base URL</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>API key</source>
            <translation>API key</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;New</source>
            <translation>&amp;New</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Save</source>
            <translation>&amp;Save</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Remove</source>
            <translation>&amp;Remove</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Test connection</source>
            <translation>&amp;Test connection</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>List the models this engine offers</source>
            <translation>List the models this engine offers</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Base &amp;URL:</source>
            <translation>Base &amp;URL:</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>API &amp;key:</source>
            <translation>API &amp;key:</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Chat with models on other machines through any OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama, a hosted API). Nothing is sent to a server you did not add here.</source>
            <translation>Chat with models on other machines through any OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama, a hosted API). Nothing is sent to a server you did not add here.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>optional</source>
            <translation>optional</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>stored (type to replace)</source>
            <translation>stored (type to replace)</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Saved {name}.</source>
            <translation>Saved {name}.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Removed {name} and its key.</source>
            <translation>Removed {name} and its key.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Save the engine first.</source>
            <translation>Save the engine first.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Asking {name} for its models…</source>
            <translation>Asking {name} for its models…</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: {count} models.</source>
            <translation>Connected: {count} models.</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: 1 model ({names}).</source>
            <translation>Connected: 1 model ({names}).</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: {count} models ({names}).</source>
            <translation>Connected: {count} models ({names}).</translation>
        </message>
    </context>
    <context>
        <name>ScrollBars</name>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>{what}, vertical scroll bar</source>
            <translation>{what}, vertical scroll bar</translation>
        </message>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>{what}, horizontal scroll bar</source>
            <translation>{what}, horizontal scroll bar</translation>
        </message>
    </context>
    <context>
        <name>Search</name>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>You</source>
            <translation>You</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Assistant</source>
            <translation>Assistant</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>System</source>
            <translation>System</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>On another branch ({i} of {n})</source>
            <translation>On another branch ({i} of {n})</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>On another branch</source>
            <translation>On another branch</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search all chats</source>
            <translation>Search all chats</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search status</source>
            <translation>Search status</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search results</source>
            <translation>Search results</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Searching…</source>
            <translation>Searching…</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>No chat mentions that.</source>
            <translation>No chat mentions that.</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>The {n} newest matches</source>
            <translation>The {n} newest matches</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>1 match</source>
            <translation>1 match</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>{n} matches</source>
            <translation>{n} matches</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>New chat (the message box gets the focus)</source>
            <translation>New chat (the message box gets the focus)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Go to the message box</source>
            <translation>Go to the message box</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Stop the reply (from anywhere in the window)</source>
            <translation>Stop the reply (from anywhere in the window)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Copy the last reply</source>
            <translation>Copy the last reply</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Previous chat in the list</source>
            <translation>Previous chat in the list</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Next chat in the list</source>
            <translation>Next chat in the list</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Preferences</source>
            <translation>Preferences</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>This list of shortcuts</source>
            <translation>This list of shortcuts</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Quit</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Send the message (in the message box)</source>
            <translation>Send the message (in the message box)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>New line in the message box</source>
            <translation>New line in the message box</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Rename the selected chat (in the list of chats)</source>
            <translation>Rename the selected chat (in the list of chats)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Delete the selected chat (in the list of chats)</source>
            <translation>Delete the selected chat (in the list of chats)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>First message (in the conversation)</source>
            <translation>First message (in the conversation)</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Latest message (in the conversation)</source>
            <translation>Latest message (in the conversation)</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Keyboard shortcuts</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Keys</source>
            <translation>Keys</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>What it does</source>
            <translation>What it does</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Every function is also in the menus: press Alt to reach them from the keyboard.</source>
            <translation>Every function is also in the menus: press Alt to reach them from the keyboard.</translation>
        </message>
    </context>
    <context>
        <name>Sidebar</name>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Start a new chat (Ctrl+N)</source>
            <translation>Start a new chat (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chats</source>
            <translation>Chats</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Enter opens a chat, F2 renames it, Delete deletes it</source>
            <translation>Enter opens a chat, F2 renames it, Delete deletes it</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chats, vertical scroll bar</source>
            <translation>Chats, vertical scroll bar</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Rename chat</source>
            <translation>Rename chat</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete “{title}”? This cannot be undone.</source>
            <translation>Delete “{title}”? This cannot be undone.</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete chat</source>
            <translation>Delete chat</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chat actions</source>
            <translation>Chat actions</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Rename…</source>
            <translation>Rename…</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Fork (continue in a copy)</source>
            <translation>Fork (continue in a copy)</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete…</source>
            <translation>Delete…</translation>
        </message>
    </context>
    <context>
        <name>StatusLine</name>
        <message>
            <location filename="../../ui/status.py" />
            <source>No model loaded</source>
            <translation>No model loaded</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Context used</source>
            <translation>Context used</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Speed of the last reply</source>
            <translation>Speed of the last reply</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Model: {name}</source>
            <translation>Model: {name}</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>The model could not be loaded</source>
            <translation>The model could not be loaded</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Context: {used} / {total}</source>
            <translation>Context: {used} / {total}</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>{speed} tok/s · first token {ms} ms</source>
            <translation>{speed} tok/s · first token {ms} ms</translation>
        </message>
    </context>
    <context>
        <name>Toast</name>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Notice</source>
            <translation>Notice</translation>
        </message>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Dismiss</source>
            <translation>Dismiss</translation>
        </message>
    </context>
    <context>
        <name>WelcomePage</name>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome</source>
            <translation>Welcome</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome, vertical scroll bar</source>
            <translation>Welcome, vertical scroll bar</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome, horizontal scroll bar</source>
            <translation>Welcome, horizontal scroll bar</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome to desktopchat</source>
            <translation>Welcome to desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Chat with an AI language model that runs entirely on this computer.</source>
            <translation>Chat with an AI language model that runs entirely on this computer.</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Nothing you type leaves it: no account, no cloud, and no internet needed once a model is here.</source>
            <translation>Nothing you type leaves it: no account, no cloud, and no internet needed once a model is here.</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Start with the small model that came with the app, or download a larger, smarter one below.</source>
            <translation>Start with the small model that came with the app, or download a larger, smarter one below.</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>The starter model</source>
            <translation>The starter model</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Small and quick: good for trying things out, not for hard questions.</source>
            <translation>Small and quick: good for trying things out, not for hard questions.</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Start chatting</source>
            <translation>Start chatting</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Larger models that fit this computer</source>
            <translation>Larger models that fit this computer</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>{size} download</source>
            <translation>{size} download</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Download</source>
            <translation>Download</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Licence: {licence}</source>
            <translation>Licence: {licence}</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Already have a .gguf model file?</source>
            <translation>Already have a .gguf model file?</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Import a model file…</source>
            <translation>Import a model file…</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Loading the model…</source>
            <translation>Loading the model…</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>The starter model is not installed; download one below or import a model file.</source>
            <translation>The starter model is not installed; download one below or import a model file.</translation>
        </message>
    </context>
    <context>
        <name>WindowActions</name>
        <message>
            <location filename="../../ui/actions.py" />
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Start a new chat</source>
            <translation>Start a new chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Fork chat</source>
            <translation>Fork chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Continue this chat in a copy</source>
            <translation>Continue this chat in a copy</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Regenerate reply</source>
            <translation>Regenerate reply</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Answer the last message again (the earlier reply is kept)</source>
            <translation>Answer the last message again (the earlier reply is kept)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Stop reply</source>
            <translation>Stop reply</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Stop the reply being written</source>
            <translation>Stop the reply being written</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Copy last reply</source>
            <translation>Copy last reply</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Copy the last reply to the clipboard</source>
            <translation>Copy the last reply to the clipboard</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Previous chat</source>
            <translation>Previous chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Open the chat above in the list</source>
            <translation>Open the chat above in the list</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Next chat</source>
            <translation>Next chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Open the chat below in the list</source>
            <translation>Open the chat below in the list</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Go to the message box</source>
            <translation>Go to the message box</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Put the cursor in the message box</source>
            <translation>Put the cursor in the message box</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Preferences…</source>
            <translation>Preferences…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Look, text size and language</source>
            <translation>Look, text size and language</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Quit</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Close desktopchat</source>
            <translation>Close desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Models…</source>
            <translation>Models…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Installed models: load, delete, fit on this computer</source>
            <translation>Installed models: load, delete, fit on this computer</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Import model…</source>
            <translation>Import model…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Add a .gguf file (or drop one onto the window)</source>
            <translation>Add a .gguf file (or drop one onto the window)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Model settings…</source>
            <translation>Model settings…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>System prompt, creativity, reply length and context of this model</source>
            <translation>System prompt, creativity, reply length and context of this model</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Unload model</source>
            <translation>Unload model</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Free the model's memory; pick a model to load it again</source>
            <translation>Free the model's memory; pick a model to load it again</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Keyboard shortcuts</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Every keyboard shortcut of the window</source>
            <translation>Every keyboard shortcut of the window</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>About desktopchat</source>
            <translation>About desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Version and licence</source>
            <translation>Version and licence</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Get models…</source>
            <translation>Get models…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Recommended models, Hub search and downloads</source>
            <translation>Recommended models, Hub search and downloads</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Offline</source>
            <translation>Offline</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Never connect to the network (no Hub search or downloads)</source>
            <translation>Never connect to the network (no Hub search or downloads)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Chat</source>
            <translation>&amp;Chat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Model</source>
            <translation>&amp;Model</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
    </context>
</TS>
