; FieldKit's Windows installer: per-machine, into Program Files, with a Start-menu entry and an
; entry in Apps & features; English and Spanish. build/dist.py compiles it:
;
;   makensis -DVERSION=0.1.0 -DSOURCE_DIR=C:\src\fieldkit\dist\fieldkit ^
;            -DOUTFILE=C:\src\fieldkit\dist\FieldKit-0.1.0-setup.exe build\windows\fieldkit.nsi
;
; Optional: -DSIGN_COMMAND="python build\windows\sign.py" signs the installer and its
; uninstaller as they are written (see docs/installers.md).
;
; Silent install:    FieldKit-0.1.0-setup.exe /S [/D=C:\Program Files\FieldKit]  (/D last)
; Silent uninstall:  "C:\Program Files\FieldKit\uninstall.exe" /S
; The uninstaller removes the program only: every user's vault, settings and logs stay where
; they are (docs/installers.md says where, and how to remove them).

Unicode true
ManifestDPIAware true
!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"  ; smallest; CI's compile check passes -DCOMPRESSOR=zlib
!endif
SetCompressor ${COMPRESSOR}
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "Give the version: makensis -DVERSION=x.y.z"
!endif
!ifndef SOURCE_DIR
  !error "Give the PyInstaller folder: makensis -DSOURCE_DIR=...\dist\fieldkit"
!endif
!ifndef OUTFILE
  !define OUTFILE "FieldKit-${VERSION}-setup.exe"
!endif

!define APP_NAME "FieldKit"
!define PUBLISHER "U.S. Department of Labor"
!define APP_EXE "fieldkit-app.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\FieldKit"
!define ICON "../../resources/icons/fieldkit.ico"  ; makensis works in the script's folder

!ifdef SIGN_COMMAND
  !finalize '${SIGN_COMMAND} "%1"' = 0
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
!ifdef UNSIGNED
  BrandingText "${APP_NAME} ${VERSION} (unsigned build)"
!else
  BrandingText "${APP_NAME} ${VERSION}"
!endif
ShowInstDetails show
ShowUninstDetails show

; --- pages ------------------------------------------------------------------------------------

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; No "Run FieldKit" on the last page: the installer runs elevated, and the app must start as
; the user (an administrator's elevation would open the administrator's vault).

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; --- languages: the installer follows the Windows display language -----------------------------

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Spanish"

LangString NEEDS_64BIT ${LANG_ENGLISH} "FieldKit needs a 64-bit version of Windows."
LangString NEEDS_64BIT ${LANG_SPANISH} "FieldKit necesita una versión de Windows de 64 bits."
LangString SHORTCUT_COMMENT ${LANG_ENGLISH} "Encrypted field records for labor attachés"
LangString SHORTCUT_COMMENT ${LANG_SPANISH} "Registros de campo cifrados para agregados laborales"

; --- version information: after the language macros, or the Spanish strings are lost ----------

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SPANISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SPANISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SPANISH} "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SPANISH} "FileDescription" "Instalador de ${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SPANISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SPANISH} "ProductVersion" "${VERSION}"

; --- install ----------------------------------------------------------------------------------

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(NEEDS_64BIT)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "FieldKit" SectionMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program files whole, so no file of an older version lingers.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" \
    "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "$(SHORTCUT_COMMENT)"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; --- uninstall: the program only, never anyone's vault -----------------------------------------

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\fieldkit.exe"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
