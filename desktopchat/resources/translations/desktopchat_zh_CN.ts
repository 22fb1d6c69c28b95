<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>ApiPanel</name>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Serve the loaded model to other programs on this computer</source>
            <translation>向这台电脑上的其他程序提供已加载的模型(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>An OpenAI-compatible API on 127.0.0.1 only; every request needs the token below</source>
            <translation>仅在 127.0.0.1 上提供兼容 OpenAI 的 API；每个请求都需要下方的令牌</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Port</source>
            <translation>端口</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>API token</source>
            <translation>API 令牌</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Copy</source>
            <translation>复制(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Copy the token to the clipboard</source>
            <translation>把令牌复制到剪贴板</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Regenerate</source>
            <translation>重新生成(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Make a new token; the old one stops working at once</source>
            <translation>生成新令牌；旧令牌立即失效</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Also in {path}</source>
            <translation>也保存在 {path}</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>API activity</source>
            <translation>API 活动</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>C&amp;lear</source>
            <translation>清空(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Clear the activity log</source>
            <translation>清空活动日志</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>&amp;Port:</source>
            <translation>端口(&amp;P)：</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Token:</source>
            <translation>令牌：</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Activity (client, tokens, time):</source>
            <translation>活动（客户端、词元数、耗时）：</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Running at {url}: use it as an OpenAI base URL with the token as the API key.</source>
            <translation>正在 {url} 运行：把它用作 OpenAI 的基础 URL，并把令牌用作 API 密钥。</translation>
        </message>
        <message>
            <location filename="../../ui/api_panel.py" />
            <source>Off. Nothing listens until you turn it on.</source>
            <translation>已关闭。开启之前不会监听任何连接。</translation>
        </message>
    </context>
    <context>
        <name>ChatIO</name>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Open a chat to export it.</source>
            <translation>请先打开要导出的对话。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Markdown (*.md)</source>
            <translation>Markdown 文件 (*.md)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Web page (*.html)</source>
            <translation>网页 (*.html)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>JSON (*.json)</source>
            <translation>JSON 文件 (*.json)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export chat</source>
            <translation>导出对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Import chats</source>
            <translation>导入对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Chat exports (*.json *.jsonl *.zip);;All files (*)</source>
            <translation>对话导出文件 (*.json *.jsonl *.zip);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Back up all chats</source>
            <translation>备份所有对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>desktopchat backups (*{suffix})</source>
            <translation>desktopchat 备份 (*{suffix})</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Restore from backup</source>
            <translation>从备份恢复</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>desktopchat backups (*{suffix});;Zip archives (*.zip);;All files (*)</source>
            <translation>desktopchat 备份 (*{suffix});;Zip 压缩包 (*.zip);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Replace all your chats and settings with the backup {name}, made {when}: {conversations} conversation(s) with {messages} message(s)?

The backup has been checked and is sound. It replaces your chats the next time desktopchat starts; your current chats are then kept aside in the data folder, not deleted.</source>
            <translation>用备份 {name}（创建于 {when}，共 {conversations} 个对话、{messages} 条消息）替换你所有的对话和设置吗？

备份已检查，完好无损。它会在下次启动 desktopchat 时替换你的对话；届时当前的对话会另存在数据文件夹中，不会被删除。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Restore at next start</source>
            <translation>下次启动时恢复</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Quit desktopchat now? The restore is done when you start it again.</source>
            <translation>现在退出 desktopchat 吗？下次启动时会完成恢复。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Quit now</source>
            <translation>立即退出</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Later</source>
            <translation>稍后</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Exporting the chat…</source>
            <translation>正在导出对话…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Importing chats…</source>
            <translation>正在导入对话…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Backing up all chats…</source>
            <translation>正在备份所有对话…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Checking the backup…</source>
            <translation>正在检查备份…</translation>
        </message>
    </context>
    <context>
        <name>ChatMenu</name>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Find in chat…</source>
            <translation>在对话中查找(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Find words in the open chat</source>
            <translation>在打开的对话中查找文字</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Search all chats…</source>
            <translation>搜索所有对话(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Search every chat; results open on the branch they are on</source>
            <translation>搜索所有对话；结果会在其所在的分支上打开</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Export chat…</source>
            <translation>导出对话(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Save the open chat as Markdown, a web page or complete JSON</source>
            <translation>把打开的对话保存为 Markdown、网页或完整的 JSON</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Import chats…</source>
            <translation>导入对话(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Add chats exported by desktopchat, ChatGPT, LM Studio or Jan</source>
            <translation>添加由 desktopchat、ChatGPT、LM Studio 或 Jan 导出的对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Back up all chats…</source>
            <translation>备份所有对话(&amp;B)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Save every chat and setting in one archive</source>
            <translation>把所有对话和设置保存到一个压缩包中</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Restore from backup…</source>
            <translation>从备份恢复(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Replace every chat and setting with a backup's (checked first; done at the next start)</source>
            <translation>用备份中的对话和设置替换现有的全部内容（先检查备份；下次启动时完成）</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Cancel the pending restore</source>
            <translation>取消待执行的恢复(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Keep your chats as they are instead of restoring the backup at the next start</source>
            <translation>保留现有对话，下次启动时不恢复备份</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>Chat</source>
            <translation>对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_menu.py" />
            <source>&amp;Chat</source>
            <translation>对话(&amp;C)</translation>
        </message>
    </context>
    <context>
        <name>ChatView</name>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Reply from {model}: {text}</source>
            <translation>{model} 的回复：{text}</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>the assistant</source>
            <translation>助手</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Conversation</source>
            <translation>对话</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to latest</source>
            <translation>跳到最新</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to the latest message</source>
            <translation>跳到最新消息</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Jump to the latest message (End)</source>
            <translation>跳到最新消息（End）</translation>
        </message>
    </context>
    <context>
        <name>CodeBlock</name>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Code block</source>
            <translation>代码块</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Copy code</source>
            <translation>复制代码</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Very long lines are broken for display; Copy copies them whole.</source>
            <translation>过长的行在显示时会折断；“复制”会复制完整内容。</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>code</source>
            <translation>代码</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Message</source>
            <translation>消息</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Enter sends, Shift+Enter starts a new line, Escape stops the reply</source>
            <translation>Enter 发送，Shift+Enter 换行，Esc 停止回复</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Message the model…  (Enter to send, Shift+Enter for a new line)</source>
            <translation>给模型发消息…（Enter 发送，Shift+Enter 换行）</translation>
        </message>
    </context>
    <context>
        <name>ComposerBox</name>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Regenerate</source>
            <translation>重新生成</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Answer the last message again (the earlier reply is kept)</source>
            <translation>重新回答最后一条消息（之前的回复会保留）</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Stop the reply (Esc)</source>
            <translation>停止回复（Esc）</translation>
        </message>
        <message>
            <location filename="../../ui/composer.py" />
            <source>Send the message (Enter)</source>
            <translation>发送消息（Enter）</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Think</source>
            <translation>思考</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Think before answering</source>
            <translation>先思考再回答</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Let the model reason before it answers in this chat (slower, often better); off: it answers at once</source>
            <translation>在这个对话中让模型先思考再回答（较慢，但通常更好）；关闭时直接回答</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Text too long</source>
            <translation>文本过长</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>This text is {size}; the loaded model can read about {room} of a message. Paste the first {room}, or cancel?</source>
            <translation>这段文本有 {size}；已加载的模型每条消息大约能读取 {room}。要粘贴前 {room}，还是取消？</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>Paste the first part</source>
            <translation>粘贴前一部分</translation>
        </message>
        <message>
            <location filename="../../ui/reply_extras.py" />
            <source>The message is already as long as the model can read; nothing more was pasted.</source>
            <translation>消息已达到模型能读取的最大长度；没有再粘贴任何内容。</translation>
        </message>
    </context>
    <context>
        <name>CoreMessages</name>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Enter the server's address, such as http://localhost:8000/v1.</source>
            <translation>请输入服务器地址，例如 http://localhost:8000/v1。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That address is too long.</source>
            <translation>该地址太长。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address must start with http:// or https://.</source>
            <translation>地址必须以 http:// 或 https:// 开头。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address has no host name.</source>
            <translation>地址中没有主机名。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Put the API key in its own field, not in the address.</source>
            <translation>请把 API 密钥填在它自己的输入框中，不要写在地址里。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address cannot have a query (?) or a fragment (#).</source>
            <translation>地址中不能包含查询（?）或片段（#）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The address has an invalid port number.</source>
            <translation>地址中的端口号无效。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Give the engine a name.</source>
            <translation>请给引擎起个名称。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The name is too long (at most {count} characters).</source>
            <translation>名称太长（最多 {count} 个字符）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That API key is not valid.</source>
            <translation>该 API 密钥无效。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>At most {count} remote engines can be added.</source>
            <translation>最多只能添加 {count} 个远程引擎。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>There is already an engine named {name}.</source>
            <translation>已经有名为 {name} 的引擎。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That remote engine no longer exists.</source>
            <translation>该远程引擎已不存在。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>That remote engine was removed.</source>
            <translation>该远程引擎已被移除。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{host} is reached over plain http://: your messages and API key cross the network unencrypted; use https:// unless this network is yours.</source>
            <translation>访问 {host} 使用的是未加密的 http://：你的消息和 API 密钥会以明文经过网络；除非这是你自己的网络，否则请使用 https://。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>This system has no keyring, so the API key is kept in {path}, a file only your user account can read.</source>
            <translation>此系统没有密钥环，因此 API 密钥保存在 {path} 中，只有你的用户账户能读取这个文件。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Offline mode is on, so remote engines are not contacted; turn it off to use them.</source>
            <translation>离线模式已开启，不会连接远程引擎；关闭离线模式后才能使用。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The models of {name} could not be listed: {reason}.</source>
            <translation>无法列出 {name} 的模型：{reason}。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} refused the API key (HTTP {status}); check the key in Remote engines.</source>
            <translation>{name} 拒绝了 API 密钥（HTTP {status}）；请在“远程引擎”中检查密钥。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} has no model named {model}, or its address is not an OpenAI-compatible API (HTTP 404).</source>
            <translation>{name} 没有名为 {model} 的模型，或者它的地址不是兼容 OpenAI 的 API（HTTP 404）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is not an OpenAI-compatible API at this address (HTTP 404); check the base URL (it usually ends in /v1).</source>
            <translation>{name} 的这个地址不是兼容 OpenAI 的 API（HTTP 404）；请检查基础 URL（通常以 /v1 结尾）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is limiting requests (HTTP 429); try again in {seconds} s.</source>
            <translation>{name} 正在限制请求频率（HTTP 429）；请在 {seconds} 秒后重试。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} is limiting requests (HTTP 429); try again in a moment.</source>
            <translation>{name} 正在限制请求频率（HTTP 429）；请稍后再试。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} redirected the request (HTTP {status}); enter the address it redirects to.</source>
            <translation>{name} 重定向了请求（HTTP {status}）；请改为输入它重定向到的地址。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} failed with a server error (HTTP {status}): {reason}.</source>
            <translation>{name} 出现服务器错误（HTTP {status}）：{reason}。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} failed with a server error (HTTP {status}).</source>
            <translation>{name} 出现服务器错误（HTTP {status}）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} rejected the request (HTTP {status}): {reason}.</source>
            <translation>{name} 拒绝了请求（HTTP {status}）：{reason}。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} rejected the request (HTTP {status}).</source>
            <translation>{name} 拒绝了请求（HTTP {status}）。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>A request to a server other than {name} was refused.</source>
            <translation>已拒绝发往 {name} 以外的服务器的请求。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} stopped sending the reply (nothing arrived for too long); the partial reply was kept.</source>
            <translation>{name} 停止发送回复（太长时间没有收到任何内容）；已收到的部分回复已保留。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The connection to {name} dropped in the middle of the reply; the partial reply was kept.</source>
            <translation>与 {name} 的连接在回复中途断开；已收到的部分回复已保留。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The secure (TLS) connection to {name} failed: {reason}.</source>
            <translation>与 {name} 的安全（TLS）连接失败：{reason}。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} at {host} did not answer; check the address and that it is running.</source>
            <translation>位于 {host} 的 {name} 没有响应；请检查地址，并确认它正在运行。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} at {host} cannot be reached; check the address and that it is running.</source>
            <translation>无法连接位于 {host} 的 {name}；请检查地址，并确认它正在运行。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} did not start replying in time; it may be overloaded.</source>
            <translation>{name} 没有及时开始回复；它可能负载过重。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{name} closed the connection before replying.</source>
            <translation>{name} 在回复之前关闭了连接。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The request to {name} failed: {reason}.</source>
            <translation>发往 {name} 的请求失败：{reason}。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>{port} is not a valid port number.</source>
            <translation>{port} 不是有效的端口号。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>Port {port} is already in use; pick another port.</source>
            <translation>端口 {port} 已被占用；请换一个端口。</translation>
        </message>
        <message>
            <location filename="../../ui/core_messages.py" />
            <source>The local API could not listen on port {port}: {reason}.</source>
            <translation>本地 API 无法在端口 {port} 上监听：{reason}。</translation>
        </message>
    </context>
    <context>
        <name>DownloadsPanel</name>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Paused because Offline mode is on; it continues when Offline is turned off (or press Resume then).</source>
            <translation>离线模式已开启，下载已暂停；关闭离线模式后会继续（也可以届时点“继续”）。</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>ETA {time}</source>
            <translation>剩余 {time}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>from {repo} at {revision}</source>
            <translation>来自 {repo}，版本 {revision}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Download progress of {name}</source>
            <translation>{name} 的下载进度</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Waiting…</source>
            <translation>等待中…</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>No downloads yet. Pick a model in “Get models” and press Download.</source>
            <translation>还没有下载。在“获取模型”中选一个模型，然后点“下载”。</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Waiting… ({size})</source>
            <translation>等待中…（{size}）</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Starting…</source>
            <translation>正在开始…</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>{done} of {total} · {speed}/s · {eta}</source>
            <translation>{done} / {total} · {speed}/秒 · {eta}</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Paused at {done} of {total}; Resume continues from there (also after a restart).</source>
            <translation>已暂停，进度 {done} / {total}；点“继续”会从这里接着下载（重启后也可以）。</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Installed and verified; pick it in the model list.</source>
            <translation>已安装并校验；在模型列表中选择它即可使用。</translation>
        </message>
        <message>
            <location filename="../../ui/downloads_panel.py" />
            <source>Cancelled; the partial file was removed.</source>
            <translation>已取消，未下载完的文件已删除。</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export chat</source>
            <translation>导出对话</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export “{title}” as:</source>
            <translation>将“{title}”导出为：</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Markdown (.md)</source>
            <translation>Markdown 文件 (.md)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>The conversation as shown, for notes and documents.</source>
            <translation>按显示的样子保存对话，适合用于笔记和文档。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Web page (.html)</source>
            <translation>网页 (.html)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>One self-contained page that opens in any browser; no scripts.</source>
            <translation>一个独立的页面，可以在任何浏览器中打开；不含脚本。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>JSON (.json)</source>
            <translation>JSON 文件 (.json)</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Complete: every branch, reasoning, models and settings; imports back.</source>
            <translation>完整：包含所有分支、思考过程、模型和设置；可以重新导入。</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Include reasoning (the model's thinking)</source>
            <translation>包含思考过程（模型的思考内容）</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Include reasoning</source>
            <translation>包含思考过程</translation>
        </message>
        <message>
            <location filename="../../ui/chat_io.py" />
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <location filename="../../ui/search.py" />
            <source>Find in chat</source>
            <translation>在对话中查找</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Matches</source>
            <translation>匹配项</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Previous match (Shift+Enter)</source>
            <translation>上一个匹配项（Shift+Enter）</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Next match (Enter)</source>
            <translation>下一个匹配项（Enter）</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Close (Esc)</source>
            <translation>关闭（Esc）</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Search failed</source>
            <translation>搜索失败</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>{i} of {n}</source>
            <translation>第 {i} 处，共 {n} 处</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>No matches</source>
            <translation>没有匹配项</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source> · {n} on other branches</source>
            <translation> · 其他分支上还有 {n} 处</translation>
        </message>
        <message>
            <location filename="../../ui/search.py" />
            <source>Search all chats (Ctrl+Shift+F) lists the matches on other branches</source>
            <translation>“搜索所有对话”（Ctrl+Shift+F）会列出其他分支上的匹配项</translation>
        </message>
    </context>
    <context>
        <name>HubPanel</name>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search the Hub for GGUF models, e.g. “qwen3” or “llama 3.2”</source>
            <translation>在 Hub 上搜索 GGUF 模型，例如“qwen3”或“llama 3.2”</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search the Hub</source>
            <translation>搜索 Hub</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Sort results by</source>
            <translation>结果排序方式</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Most downloaded</source>
            <translation>下载最多</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Most liked</source>
            <translation>点赞最多</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recently updated</source>
            <translation>最近更新</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recommended</source>
            <translation>推荐</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Quantization</source>
            <translation>量化</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Fit</source>
            <translation>适配</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Files of the chosen model</source>
            <translation>所选模型的文件</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Download</source>
            <translation>下载</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{description}
Licence: {licence}
Repo: {repo}</source>
            <translation>{description}
许可证：{licence}
仓库：{repo}</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Recommended models for ordinary laptops. Search to see any GGUF model on the Hub.</source>
            <translation>适合普通笔记本电脑的推荐模型。搜索可查看 Hub 上的任意 GGUF 模型。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Searching for “{query}”…</source>
            <translation>正在搜索“{query}”…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{downloads} downloads · {likes} likes · {date}</source>
            <translation>{downloads} 次下载 · {likes} 个赞 · {date}</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>gated</source>
            <translation>需授权</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{count} models found.</source>
            <translation>找到 {count} 个模型。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>No GGUF models found.</source>
            <translation>没有找到 GGUF 模型。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Listing the files of {repo}…</source>
            <translation>正在列出 {repo} 的文件…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source> ({count} parts)</source>
            <translation>（{count} 个分卷）</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Select the file to read its header and estimate the fit.</source>
            <translation>选择该文件即可读取文件头并估算是否适配。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>This model is gated: you need an access token.</source>
            <translation>此模型需要授权：你需要访问令牌。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{repo}: {count} GGUF file(s) at commit {commit}.</source>
            <translation>{repo}：提交 {commit} 中有 {count} 个 GGUF 文件。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{repo} has no GGUF files.</source>
            <translation>{repo} 中没有 GGUF 文件。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>Reading the model's header to estimate the fit…</source>
            <translation>正在读取模型文件头以估算是否适配…</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{architecture}, {layers} layers, trained context {context} tokens, {size} of weights.</source>
            <translation>{architecture}，{layers} 层，训练上下文 {context} 个词元，权重 {size}。</translation>
        </message>
        <message>
            <location filename="../../ui/hub_panel.py" />
            <source>{name} was added to Downloads.</source>
            <translation>{name} 已加入下载列表。</translation>
        </message>
    </context>
    <context>
        <name>MainToolBar</name>
        <message>
            <location filename="../../ui/toolbar.py" />
            <source>Main toolbar</source>
            <translation>主工具栏</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>This chat has no messages to fork yet.</source>
            <translation>这个对话还没有可以分叉的消息。</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Delete message</source>
            <translation>删除消息</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Delete this message and everything that follows it on this branch?</source>
            <translation>删除这条消息以及此分支上它之后的所有内容？</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>There is no reply to copy yet.</source>
            <translation>还没有可以复制的回复。</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>Copied the last reply.</source>
            <translation>已复制最后一条回复。</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>About desktopchat</source>
            <translation>关于 desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>desktopchat {version}

Chat privately with open language models on your own computer, offline. Apache-2.0 licence; icons by Lucide (ISC licence).</source>
            <translation>desktopchat {version}

在你自己的电脑上离线、私密地与开放语言模型聊天。采用 Apache-2.0 许可证；图标来自 Lucide（ISC 许可证）。</translation>
        </message>
    </context>
    <context>
        <name>MessageRow</name>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Edit message</source>
            <translation>编辑消息</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Enter saves and resends, Escape cancels</source>
            <translation>Enter 保存并重新发送，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Show reasoning</source>
            <translation>显示思考过程</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Reasoning</source>
            <translation>思考过程</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Hide reasoning</source>
            <translation>隐藏思考过程</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Thinking… {seconds} s</source>
            <translation>思考中… {seconds} 秒</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Thought for {seconds} s</source>
            <translation>已思考 {seconds} 秒</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Notice: {text}</source>
            <translation>提示：{text}</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Message from {who}</source>
            <translation>来自{who}的消息</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy message</source>
            <translation>复制消息</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy as Markdown</source>
            <translation>复制为 Markdown</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copy as plain text</source>
            <translation>复制为纯文本</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Delete message</source>
            <translation>删除消息</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Previous version</source>
            <translation>上一个版本</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Next version</source>
            <translation>下一个版本</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Version {index} of {count}</source>
            <translation>第 {index} 个版本，共 {count} 个</translation>
        </message>
        <message>
            <location filename="../../ui/message_row.py" />
            <source>Copied</source>
            <translation>已复制</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>You</source>
            <translation>你</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <location filename="../../ui/view_parts.py" />
            <source>Assistant</source>
            <translation>助手</translation>
        </message>
    </context>
    <context>
        <name>MessageStatus</name>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>cut off at the length limit</source>
            <translation>达到长度上限，已截断</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>the model failed while replying</source>
            <translation>模型在回复时出错</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>interrupted when the app closed</source>
            <translation>应用关闭时被中断</translation>
        </message>
    </context>
    <context>
        <name>MessageText</name>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>Message text</source>
            <translation>消息正文</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because it is very long.</source>
            <translation>内容很长，因此以纯文本显示。</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because it is nested too deeply.</source>
            <translation>嵌套层级过深，因此以纯文本显示。</translation>
        </message>
        <message>
            <location filename="../../ui/i18n.py" />
            <source>Shown as plain text because its formatting is too complex to show quickly.</source>
            <translation>格式过于复杂，无法快速显示，因此以纯文本显示。</translation>
        </message>
        <message>
            <location filename="../../ui/text_boxes.py" />
            <source>Message text, plain</source>
            <translation>消息正文（纯文本）</translation>
        </message>
    </context>
    <context>
        <name>ModelControls</name>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>this model</source>
            <translation>此模型</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Import model</source>
            <translation>导入模型</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloads are not available here.</source>
            <translation>这里无法下载。</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Asking the Hub for the file…</source>
            <translation>正在向 Hub 查询文件…</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>That file is no longer in the repository.</source>
            <translation>仓库中已没有这个文件。</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloading (see Models → Downloads); it appears in the model list when it is done.</source>
            <translation>正在下载（见“模型 → 下载”）；完成后会出现在模型列表中。</translation>
        </message>
        <message>
            <location filename="../../ui/model_controls.py" />
            <source>Downloaded: pick it in the model list to chat with it.</source>
            <translation>已下载：在模型列表中选择它即可开始聊天。</translation>
        </message>
    </context>
    <context>
        <name>ModelPicker</name>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Fits</source>
            <translation>可运行</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Tight fit</source>
            <translation>勉强可运行</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Won't fit</source>
            <translation>内存不足</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>This model has no chat template; it will not follow instructions well.</source>
            <translation>此模型没有聊天模板，不能很好地听从指令。</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>The model that answers; pick another to load it</source>
            <translation>负责回答的模型；选择另一个即可加载</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>Choose a model…</source>
            <translation>选择模型…</translation>
        </message>
        <message>
            <location filename="../../ui/model_picker.py" />
            <source>No models yet: download or import one</source>
            <translation>还没有模型：请下载或导入一个</translation>
        </message>
    </context>
    <context>
        <name>ModelSettingsDialog</name>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Top P</source>
            <translation>Top P 采样</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Top K</source>
            <translation>Top K 采样</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Min P</source>
            <translation>Min P 采样</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Repeat penalty</source>
            <translation>重复惩罚</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Max reply tokens</source>
            <translation>回复的最大词元数</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Context length (tokens)</source>
            <translation>上下文长度（词元）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>CPU threads (0 = automatic)</source>
            <translation>CPU 线程数（0 = 自动）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Seed (-1 = random)</source>
            <translation>随机种子（-1 = 随机）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>GPU layers (-1 = as many as fit)</source>
            <translation>GPU 层数（-1 = 能放下多少就放多少）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Run on</source>
            <translation>运行于</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>GPU memory limit for all models (MB, 0 = none)</source>
            <translation>所有模型的显存上限（MB，0 = 不限）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Settings for {name}</source>
            <translation>{name} 的设置</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>Automatic (the best GPU, else the CPU)</source>
            <translation>自动（优先使用最好的 GPU，否则使用 CPU）</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>CPU only</source>
            <translation>仅 CPU</translation>
        </message>
        <message>
            <location filename="../../ui/settings_dialog.py" />
            <source>{device} (not present now)</source>
            <translation>{device}（当前未检测到）</translation>
        </message>
    </context>
    <context>
        <name>ModelsPage</name>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Quantization</source>
            <translation>量化</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Size on disk</source>
            <translation>占用空间</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Last used</source>
            <translation>上次使用</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Fit</source>
            <translation>适配</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Runs on</source>
            <translation>运行于</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✗ Cannot be used</source>
            <translation>✗ 无法使用</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✓ Fits</source>
            <translation>✓ 可运行</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>! Tight</source>
            <translation>! 勉强</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>✗ Won't fit</source>
            <translation>✗ 内存不足</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>GGUF models (*.gguf);;All files (*)</source>
            <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Starter model</source>
            <translation>入门模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Models folder</source>
            <translation>模型文件夹</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Downloaded</source>
            <translation>已下载</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Imported (in place)</source>
            <translation>已导入（原位置）</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Imported (copy)</source>
            <translation>已导入（副本）</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Hugging Face cache</source>
            <translation>Hugging Face 缓存</translation>
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
            <translation>获取模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Downloads</source>
            <translation>下载</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>just now</source>
            <translation>刚刚</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} min ago</source>
            <translation>{n} 分钟前</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} h ago</source>
            <translation>{n} 小时前</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>{n} days ago</source>
            <translation>{n} 天前</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Delete {name}? The file ({size}) is removed from disk and the space is freed.</source>
            <translation>删除 {name}？该文件（{size}）会从磁盘上删除，空间随之释放。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Forget {name}? It disappears from the list, but the file is not deleted: it stays at {path}.</source>
            <translation>移除 {name}？它会从列表中消失，但文件不会被删除，仍保留在 {path}。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>About {total} of memory at a context of {n_ctx} tokens: {weights} of weights, {kv} of conversation memory (KV cache{note}) and {work} of working space.</source>
            <translation>在 {n_ctx} 个词元的上下文下约需 {total} 内存：权重 {weights}，对话记忆（KV 缓存{note}）{kv}，工作空间 {work}。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it fits with room to spare.</source>
            <translation>这台电脑目前有 {free} 可用内存，运行绰绰有余。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it fits, but only just: close other programs first.</source>
            <translation>这台电脑目前有 {free} 可用内存，勉强能运行：请先关闭其他程序。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>This computer has {free} free right now, so it won't fit: pick a smaller file or a shorter context.</source>
            <translation>这台电脑目前只有 {free} 可用内存，无法运行：请选择更小的文件或更短的上下文。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>How much memory is free could not be read, so this is only a guess.</source>
            <translation>无法读取可用内存，因此这只是估计。</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Installed models</source>
            <translation>已安装的模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Model pages</source>
            <translation>模型页面</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>About the selected model</source>
            <translation>所选模型的信息</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>What happened</source>
            <translation>操作结果</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Copy imported files into the app's models folder</source>
            <translation>把导入的文件复制到应用的模型文件夹</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Load</source>
            <translation>加载</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Installed</source>
            <translation>已安装</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>  (loaded)</source>
            <translation>（已加载）</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Forget</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Remove model</source>
            <translation>移除模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Import model</source>
            <translation>导入模型</translation>
        </message>
        <message>
            <location filename="../../ui/models_page.py" />
            <source>Added {name}.</source>
            <translation>已添加 {name}。</translation>
        </message>
    </context>
    <context>
        <name>Notifications</name>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Notifications</source>
            <translation>通知</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Preferences</source>
            <translation>偏好设置</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Like the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>System size</source>
            <translation>系统默认</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source> pt</source>
            <translation> 磅</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Text size</source>
            <translation>文字大小</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Hide the models' reasoning (“Thought for …” sections)</source>
            <translation>隐藏模型的思考过程（“已思考 …”部分）</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Reasoning is still kept with each reply; it is only not shown</source>
            <translation>思考过程仍会随每条回复保存，只是不显示</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Look:</source>
            <translation>外观：</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Text size:</source>
            <translation>文字大小：</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Language:</source>
            <translation>语言：</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>Reasoning:</source>
            <translation>思考过程：</translation>
        </message>
        <message>
            <location filename="../../ui/preferences.py" />
            <source>The new language is used the next time desktopchat starts.</source>
            <translation>新的语言将在下次启动 desktopchat 时生效。</translation>
        </message>
    </context>
    <context>
        <name>PresetEditor</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Presets</source>
            <translation>预设</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Duplicate</source>
            <translation>创建副本</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Empty: the model's own system prompt</source>
            <translation>留空：使用模型自身的系统提示词</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>&amp;Name</source>
            <translation>名称(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>&amp;System prompt</source>
            <translation>系统提示词(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Problem</source>
            <translation>问题</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Revert</source>
            <translation>还原</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>{name} (comes with the app)</source>
            <translation>{name}（应用自带）</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>This preset comes with the app and cannot be changed; Duplicate makes a copy you can change.</source>
            <translation>此预设是应用自带的，无法修改；点“创建副本”可以得到一个能修改的副本。</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>New preset</source>
            <translation>新预设</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>{name} copy</source>
            <translation>{name} 副本</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete preset</source>
            <translation>删除预设</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Delete the preset “{name}”? Chats that use it go back to the model's own settings.</source>
            <translation>删除预设“{name}”？使用它的对话将改回使用模型自身的设置。</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Keep</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Close without saving your changes?</source>
            <translation>不保存更改就关闭吗？</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Discard changes</source>
            <translation>放弃更改</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Keep editing</source>
            <translation>继续编辑</translation>
        </message>
    </context>
    <context>
        <name>PresetMenu</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Model's own settings</source>
            <translation>模型自身的设置</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Use the model's settings, without a preset</source>
            <translation>使用模型自身的设置，不用预设</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Manage presets…</source>
            <translation>管理预设…</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Create, change or delete your own presets</source>
            <translation>创建、修改或删除你自己的预设</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Model's own</source>
            <translation>模型自身设置</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Preset: {name}</source>
            <translation>预设：{name}</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>The preset this chat uses: {name}</source>
            <translation>此对话使用的预设：{name}</translation>
        </message>
    </context>
    <context>
        <name>Presets</name>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Top-p</source>
            <translation>Top-p 采样</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Top-k</source>
            <translation>Top-k 采样</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Min-p</source>
            <translation>Min-p 采样</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Repeat penalty</source>
            <translation>重复惩罚</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Max tokens</source>
            <translation>最大词元数</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Only a system prompt</source>
            <translation>仅系统提示词</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Set {label}</source>
            <translation>设置{label}</translation>
        </message>
        <message>
            <location filename="../../ui/presets.py" />
            <source>Unticked: the model's own {label}</source>
            <translation>未勾选：使用模型自身的{label}</translation>
        </message>
    </context>
    <context>
        <name>RemoteEnginesPage</name>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Offline mode is on: remote engines are not contacted and cannot be used.</source>
            <translation>离线模式已开启：不会连接远程引擎，也无法使用它们。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Remote engines</source>
            <translation>远程引擎</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Engine name</source>
            <translation>引擎名称</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>GPU server</source>
            <translation>GPU 服务器</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Base URL</source>
            <translation>基础 URL</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;New</source>
            <translation>新建(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Remove</source>
            <translation>移除(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Test connection</source>
            <translation>测试连接(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>List the models this engine offers</source>
            <translation>列出此引擎提供的模型</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>&amp;Name:</source>
            <translation>名称(&amp;N)：</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Base &amp;URL:</source>
            <translation>基础 URL(&amp;U)：</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>API &amp;key:</source>
            <translation>API 密钥(&amp;K)：</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Chat with models on other machines through any OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama, a hosted API). Nothing is sent to a server you did not add here.</source>
            <translation>通过任意兼容 OpenAI 的服务器（vLLM、llama.cpp 的 llama-server、Ollama 或托管的 API）与其他机器上的模型聊天。不会向你没有在这里添加的服务器发送任何内容。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>optional</source>
            <translation>可选</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>stored (type to replace)</source>
            <translation>已保存（输入新密钥即可替换）</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Saved {name}.</source>
            <translation>已保存 {name}。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Removed {name} and its key.</source>
            <translation>已移除 {name} 及其密钥。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Save the engine first.</source>
            <translation>请先保存引擎。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Asking {name} for its models…</source>
            <translation>正在向 {name} 查询模型…</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: {count} models.</source>
            <translation>已连接：{count} 个模型。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: 1 model ({names}).</source>
            <translation>已连接：1 个模型（{names}）。</translation>
        </message>
        <message>
            <location filename="../../ui/remote_engines.py" />
            <source>Connected: {count} models ({names}).</source>
            <translation>已连接：{count} 个模型（{names}）。</translation>
        </message>
    </context>
    <context>
        <name>ScrollBars</name>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>{what}, vertical scroll bar</source>
            <translation>{what}，垂直滚动条</translation>
        </message>
        <message>
            <location filename="../../ui/blocks.py" />
            <source>{what}, horizontal scroll bar</source>
            <translation>{what}，水平滚动条</translation>
        </message>
    </context>
    <context>
        <name>Search</name>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>You</source>
            <translation>你</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Assistant</source>
            <translation>助手</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>On another branch ({i} of {n})</source>
            <translation>在另一个分支上（第 {i} 个版本，共 {n} 个）</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>On another branch</source>
            <translation>在另一个分支上</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search all chats</source>
            <translation>搜索所有对话</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search status</source>
            <translation>搜索状态</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Search results</source>
            <translation>搜索结果</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>Searching…</source>
            <translation>正在搜索…</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>No chat mentions that.</source>
            <translation>没有对话包含这些内容。</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>The {n} newest matches</source>
            <translation>最新的 {n} 处匹配</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>1 match</source>
            <translation>1 处匹配</translation>
        </message>
        <message>
            <location filename="../../ui/search_panel.py" />
            <source>{n} matches</source>
            <translation>{n} 处匹配</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>New chat (the message box gets the focus)</source>
            <translation>新建对话（光标移到消息框）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Go to the message box</source>
            <translation>转到消息框</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Stop the reply (from anywhere in the window)</source>
            <translation>停止回复（在窗口任意位置均可）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Copy the last reply</source>
            <translation>复制最后一条回复</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Previous chat in the list</source>
            <translation>列表中的上一个对话</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Next chat in the list</source>
            <translation>列表中的下一个对话</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Preferences</source>
            <translation>偏好设置</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>This list of shortcuts</source>
            <translation>这份快捷键列表</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Send the message (in the message box)</source>
            <translation>发送消息（在消息框中）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>New line in the message box</source>
            <translation>在消息框中换行</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Rename the selected chat (in the list of chats)</source>
            <translation>重命名选中的对话（在对话列表中）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Delete the selected chat (in the list of chats)</source>
            <translation>删除选中的对话（在对话列表中）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>First message (in the conversation)</source>
            <translation>第一条消息（在对话中）</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Latest message (in the conversation)</source>
            <translation>最新消息（在对话中）</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>What it does</source>
            <translation>作用</translation>
        </message>
        <message>
            <location filename="../../ui/shortcuts.py" />
            <source>Every function is also in the menus: press Alt to reach them from the keyboard.</source>
            <translation>所有功能也都在菜单里：按 Alt 键即可用键盘打开菜单。</translation>
        </message>
    </context>
    <context>
        <name>Sidebar</name>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>New chat</source>
            <translation>新建对话</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Start a new chat (Ctrl+N)</source>
            <translation>开始新对话（Ctrl+N）</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chats</source>
            <translation>对话</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Enter opens a chat, F2 renames it, Delete deletes it</source>
            <translation>Enter 打开对话，F2 重命名，Delete 删除</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chats, vertical scroll bar</source>
            <translation>对话，垂直滚动条</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Rename chat</source>
            <translation>重命名对话</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete “{title}”? This cannot be undone.</source>
            <translation>删除“{title}”？此操作无法撤销。</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete chat</source>
            <translation>删除对话</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Chat actions</source>
            <translation>对话操作</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Rename…</source>
            <translation>重命名…</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Fork (continue in a copy)</source>
            <translation>分叉（在副本中继续）</translation>
        </message>
        <message>
            <location filename="../../ui/sidebar.py" />
            <source>Delete…</source>
            <translation>删除…</translation>
        </message>
    </context>
    <context>
        <name>StatusLine</name>
        <message>
            <location filename="../../ui/status.py" />
            <source>No model loaded</source>
            <translation>未加载模型</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Context used</source>
            <translation>已用上下文</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Speed of the last reply</source>
            <translation>上次回复的速度</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Model: {name}</source>
            <translation>模型：{name}</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>The model could not be loaded</source>
            <translation>模型无法加载</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>Context: {used} / {total}</source>
            <translation>上下文：{used} / {total}</translation>
        </message>
        <message>
            <location filename="../../ui/status.py" />
            <source>{speed} tok/s · first token {ms} ms</source>
            <translation>{speed} 词元/秒 · 首个词元 {ms} 毫秒</translation>
        </message>
    </context>
    <context>
        <name>Toast</name>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Notice</source>
            <translation>提示</translation>
        </message>
        <message>
            <location filename="../../ui/notifications.py" />
            <source>Dismiss</source>
            <translation>关闭</translation>
        </message>
    </context>
    <context>
        <name>WelcomePage</name>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome</source>
            <translation>欢迎</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome, vertical scroll bar</source>
            <translation>欢迎页，垂直滚动条</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome, horizontal scroll bar</source>
            <translation>欢迎页，水平滚动条</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Welcome to desktopchat</source>
            <translation>欢迎使用 desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Chat with an AI language model that runs entirely on this computer.</source>
            <translation>与完全在这台电脑上运行的 AI 语言模型聊天。</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Nothing you type leaves it: no account, no cloud, and no internet needed once a model is here.</source>
            <translation>你输入的内容不会离开这台电脑：无需账号，不经过云端，模型就绪后也无需联网。</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Start with the small model that came with the app, or download a larger, smarter one below.</source>
            <translation>可以先用应用自带的小模型，也可以在下方下载更大、更聪明的模型。</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>The starter model</source>
            <translation>入门模型</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Small and quick: good for trying things out, not for hard questions.</source>
            <translation>小巧快速：适合试用，不适合回答难题。</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Start chatting</source>
            <translation>开始聊天</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Larger models that fit this computer</source>
            <translation>适合这台电脑的更大模型</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>{size} download</source>
            <translation>下载 {size}</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Download</source>
            <translation>下载</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Licence: {licence}</source>
            <translation>许可证：{licence}</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Already have a .gguf model file?</source>
            <translation>已经有 .gguf 模型文件了？</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Import a model file…</source>
            <translation>导入模型文件…</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>Loading the model…</source>
            <translation>正在加载模型…</translation>
        </message>
        <message>
            <location filename="../../ui/welcome.py" />
            <source>The starter model is not installed; download one below or import a model file.</source>
            <translation>入门模型未安装；请在下方下载一个，或导入模型文件。</translation>
        </message>
    </context>
    <context>
        <name>WindowActions</name>
        <message>
            <location filename="../../ui/actions.py" />
            <source>New chat</source>
            <translation>新建对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Start a new chat</source>
            <translation>开始新对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Fork chat</source>
            <translation>分叉对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Continue this chat in a copy</source>
            <translation>在副本中继续这个对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Regenerate reply</source>
            <translation>重新生成回复</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Answer the last message again (the earlier reply is kept)</source>
            <translation>重新回答最后一条消息（之前的回复会保留）</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Stop reply</source>
            <translation>停止回复</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Stop the reply being written</source>
            <translation>停止正在生成的回复</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Copy last reply</source>
            <translation>复制最后一条回复</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Copy the last reply to the clipboard</source>
            <translation>把最后一条回复复制到剪贴板</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Previous chat</source>
            <translation>上一个对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Open the chat above in the list</source>
            <translation>打开列表中上方的对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Next chat</source>
            <translation>下一个对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Open the chat below in the list</source>
            <translation>打开列表中下方的对话</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Go to the message box</source>
            <translation>转到消息框</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Put the cursor in the message box</source>
            <translation>把光标放到消息框</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Preferences…</source>
            <translation>偏好设置…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Look, text size and language</source>
            <translation>外观、文字大小和语言</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Close desktopchat</source>
            <translation>关闭 desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Models…</source>
            <translation>模型…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Installed models: load, delete, fit on this computer</source>
            <translation>已安装的模型：加载、删除，以及能否在这台电脑上运行</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Import model…</source>
            <translation>导入模型…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Add a .gguf file (or drop one onto the window)</source>
            <translation>添加 .gguf 文件（也可以直接拖到窗口上）</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Model settings…</source>
            <translation>模型设置…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>System prompt, creativity, reply length and context of this model</source>
            <translation>此模型的系统提示词、创造性、回复长度和上下文</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Unload model</source>
            <translation>卸载模型</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Free the model's memory; pick a model to load it again</source>
            <translation>释放模型占用的内存；选择一个模型即可重新加载</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Every keyboard shortcut of the window</source>
            <translation>窗口的所有键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>About desktopchat</source>
            <translation>关于 desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Version and licence</source>
            <translation>版本和许可证</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Get models…</source>
            <translation>获取模型…</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Recommended models, Hub search and downloads</source>
            <translation>推荐模型、Hub 搜索和下载</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>Never connect to the network (no Hub search or downloads)</source>
            <translation>从不连接网络（不能搜索 Hub，也不能下载）</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Chat</source>
            <translation>对话(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Model</source>
            <translation>模型(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../ui/actions.py" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
</TS>
