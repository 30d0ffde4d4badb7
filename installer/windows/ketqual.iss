; Inno Setup script for KetQual on Windows (UNTESTED: written without a Windows machine).
;
; Build the bundle first (installer\windows\build.ps1 does both steps):
;   python -m PyInstaller --noconfirm --distpath installer\dist --workpath installer\build installer\ketqual.spec
;   iscc /DAppVersion=0.1.0 installer\windows\ketqual.iss
; The version comes from ketqual/__init__.py through the AppVersion define.
;
; Installs per user without administrator rights by default (the installer offers "for all
; users" when run as administrator), with a Start-menu shortcut, an optional desktop icon,
; the .ketqual file association with KetQual's icon, and an uninstaller.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z ketqual.iss
#endif
#ifndef DistDir
  #define DistDir "..\dist\ketqual"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; A fixed AppId keeps upgrades and the uninstaller matched to earlier installs.
AppId={{6B1F4C2E-5A0D-4F7B-9C3E-8E2D7A41B9C5}
AppName=KetQual
AppVersion={#AppVersion}
AppVerName=KetQual {#AppVersion}
AppPublisher=KetQual developers
DefaultDirName={autopf}\KetQual
DefaultGroupName=KetQual
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=ketqual-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\ketqual.ico
UninstallDisplayIcon={app}\ketqual.exe
UninstallDisplayName=KetQual {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\resources\icons\ketqual.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\KetQual"; Filename: "{app}\ketqual.exe"; IconFilename: "{app}\ketqual.ico"
Name: "{group}\KetQual licences"; Filename: "{app}\THIRD-PARTY-LICENSES.txt"
Name: "{group}\{cm:UninstallProgram,KetQual}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\KetQual"; Filename: "{app}\ketqual.exe"; IconFilename: "{app}\ketqual.ico"; Tasks: desktopicon

[Registry]
; .ketqual -> KetQual.Project, with the icon and "open" running the app on the file.
; HKA is HKCU for a per-user install and HKLM for an all-users install.
Root: HKA; Subkey: "Software\Classes\.ketqual"; ValueType: string; ValueName: ""; ValueData: "KetQual.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ketqual\OpenWithProgids"; ValueType: string; ValueName: "KetQual.Project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\KetQual.Project"; ValueType: string; ValueName: ""; ValueData: "KetQual project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\KetQual.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\ketqual.ico,0"
Root: HKA; Subkey: "Software\Classes\KetQual.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ketqual.exe"" ""%1"""
; .kqpkg (a coder package) opens the same way.
Root: HKA; Subkey: "Software\Classes\.kqpkg"; ValueType: string; ValueName: ""; ValueData: "KetQual.Package"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.kqpkg\OpenWithProgids"; ValueType: string; ValueName: "KetQual.Package"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\KetQual.Package"; ValueType: string; ValueName: ""; ValueData: "KetQual coder package"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\KetQual.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\ketqual.ico,0"
Root: HKA; Subkey: "Software\Classes\KetQual.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ketqual.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\ketqual.exe\SupportedTypes"; ValueType: string; ValueName: ".ketqual"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\ketqual.exe\SupportedTypes"; ValueType: string; ValueName: ".kqpkg"; ValueData: ""

[Run]
Filename: "{app}\ketqual.exe"; Description: "{cm:LaunchProgram,KetQual}"; Flags: nowait postinstall skipifsilent
