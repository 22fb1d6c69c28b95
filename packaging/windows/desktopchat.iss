; Inno Setup script: a per-user installer (no administrator rights), a Start-menu entry and an
; uninstaller. Built by packaging/windows/build-installer.sh (CI: .github/workflows/installers.yml):
;   iscc /DAppVersion=0.1.0 /DAppId=io.github.desktopchat.DesktopChat /DVariant= packaging\windows\desktopchat.iss
; from the PyInstaller bundle in build\dist\desktopchat. The version and the app id come from
; desktopchat/__init__.py through the build script, never typed here.
#ifndef AppVersion
  #error AppVersion must be given (/DAppVersion=...)
#endif
#ifndef AppId
  #error AppId must be given (/DAppId=...)
#endif
#ifndef Variant
  #define Variant ""
#endif

[Setup]
AppId={#AppId}
AppName=desktopchat
AppVersion={#AppVersion}
AppPublisher=desktopchat developers
DefaultDirName={autopf}\desktopchat
DefaultGroupName=desktopchat
DisableProgramGroupPage=yes
; per-user: installs under %LOCALAPPDATA%\Programs, no UAC prompt
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=desktopchat{#Variant}-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\desktopchat.ico
UninstallDisplayIcon={app}\desktopchat.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\..\build\dist\desktopchat\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\desktopchat"; Filename: "{app}\desktopchat.exe"
Name: "{autodesktop}\desktopchat"; Filename: "{app}\desktopchat.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
Filename: "{app}\desktopchat.exe"; Description: "{cm:LaunchProgram,desktopchat}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes {app} only. Chats, settings and models live in the user's
; %LOCALAPPDATA%\desktopchat (platformdirs) and are kept.
