<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>ChatView</name>
        <message>
            <location filename="../../ui/chat_view.py" />
            <source>Conversation</source>
            <translation>Conversation</translation>
        </message>
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
            <source>About desktopchat</source>
            <translation>About desktopchat</translation>
        </message>
        <message>
            <location filename="../../ui/main_window.py" />
            <source>desktopchat {version}

Chat privately with open language models on your own computer, offline. Apache-2.0 licence; icons by Lucide (ISC licence).</source>
            <translation>desktopchat {version}

Chat privately with open language models on your own computer, offline. Apache-2.0 licence; icons by Lucide (ISC licence).</translation>
        </message>
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
            <source>The new language is used the next time desktopchat starts.</source>
            <translation>The new language is used the next time desktopchat starts.</translation>
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
