package app

import (
	"reflect"
	"testing"
)

func TestOpenCommand_WindowsAndMacViewers(t *testing.T) {
	const sumatra = `C:\Users\ana\AppData\Local\SumatraPDF\SumatraPDF.exe`
	const reader = `C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe`
	const acrobat = `C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe`
	const edge = `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`
	const winPDF = `C:\Users\ana\AppData\Local\Temp\dossier-originals\ab\Доклад 2023.pdf`
	const macPDF = "/var/folders/x/T/dossier-originals/ab/Report 2023.pdf"
	for _, tc := range []struct {
		name, goos, viewer, path string
		page                     int
		want                     []string
	}{
		{"SumatraPDF", "windows", sumatra, winPDF, 7, []string{sumatra, "-reuse-instance", "-page", "7", winPDF}},
		{"Acrobat Reader", "windows", reader, winPDF, 7, []string{reader, "/A", "page=7", winPDF}},
		{"Acrobat", "windows", acrobat, winPDF, 12, []string{acrobat, "/A", "page=12", winPDF}},
		{"Edge takes a file URL with #page", "windows", edge, winPDF, 3,
			[]string{edge, "file:///C:/Users/ana/AppData/Local/Temp/dossier-originals/ab/%D0%94%D0%BE%D0%BA%D0%BB%D0%B0%D0%B4%202023.pdf#page=3"}},
		{"an unknown Windows viewer gets the file", "windows", `C:\Tools\Other.exe`, winPDF, 3,
			[]string{"rundll32", "url.dll,FileProtocolHandler", winPDF}},
		{"no page: the file association", "windows", sumatra, winPDF, 0,
			[]string{"rundll32", "url.dll,FileProtocolHandler", winPDF}},
		{"Skim over AppleScript", "darwin", "net.sourceforge.skim-app.skim", macPDF, 9,
			[]string{"osascript", "-e", "on run argv", "-e", `tell application "Skim"`, "-e", "activate",
				"-e", "open (item 1 of argv)",
				"-e", "tell document (item 2 of argv) to go to page ((item 3 of argv) as integer)",
				"-e", "end tell", "-e", "end run", macPDF, "Report 2023.pdf", "9"}},
		{"Preview cannot be told a page", "darwin", "com.apple.Preview", macPDF, 9, []string{"open", macPDF}},
		{"macOS without a chosen viewer", "darwin", "", macPDF, 9, []string{"open", macPDF}},
		{"Linux viewers are desktop files, not Windows programs", "linux", sumatra, "/t/a.pdf", 2, []string{"xdg-open", "/t/a.pdf"}},
	} {
		name, args := openCommand(tc.goos, tc.viewer, tc.path, tc.page)
		if got := append([]string{name}, args...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestWindowsPDFViewer(t *testing.T) {
	env := map[string]string{
		"ProgramFiles": `C:\Program Files`, "ProgramFiles(x86)": `C:\Program Files (x86)`,
		"LOCALAPPDATA": `C:\Users\ana\AppData\Local`,
	}
	const userChoice = `HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\FileExts\.pdf\UserChoice`
	for _, tc := range []struct {
		name      string
		reg       map[string]string // key + "|" + value name → data
		installed []string
		want      string
	}{
		{"the user's choice, quoted command", map[string]string{
			userChoice + "|ProgId":                          "SumatraPDF",
			`HKCR\.pdf|`:                                    "AcroExch.Document.DC",
			`HKCR\SumatraPDF\shell\open\command|`:           `"C:\Users\ana\AppData\Local\SumatraPDF\SumatraPDF.exe" "%1"`,
			`HKCR\AcroExch.Document.DC\shell\open\command|`: `"C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe" "%1"`,
		}, nil, `C:\Users\ana\AppData\Local\SumatraPDF\SumatraPDF.exe`},
		{"the .pdf class, unquoted command with a variable", map[string]string{
			`HKCR\.pdf|`: "AcroExch.Document.DC",
			`HKCR\AcroExch.Document.DC\shell\open\command|`: `%ProgramFiles%\Adobe\Acrobat DC\Acrobat\Acrobat.exe /u "%1"`,
		}, nil, `C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe`},
		{"no command: the installer's folder", map[string]string{userChoice + "|ProgId": "Acrobat.Document.DC"},
			[]string{`C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe`},
			`C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe`},
		{"no command, not installed", map[string]string{userChoice + "|ProgId": "SumatraPDF"}, nil, ""},
		{"Edge's class", map[string]string{
			userChoice + "|ProgId":               "MSEdgePDF",
			`HKCR\MSEdgePDF\shell\open\command|`: `"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument %1`,
		}, nil, `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`},
		{"nothing registered", nil, nil, ""},
	} {
		reg := func(key, name string) string { return tc.reg[key+"|"+name] }
		exists := func(p string) bool {
			for _, i := range tc.installed {
				if i == p {
					return true
				}
			}
			return false
		}
		if got := windowsPDFViewer(reg, func(k string) string { return env[k] }, exists); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestMacPDFHandler(t *testing.T) {
	const out = `(
        {
        LSHandlerContentType = "public.html";
        LSHandlerPreferredVersions =         {
            LSHandlerRoleAll = "-";
        };
        LSHandlerRoleAll = "com.apple.safari";
    },
        {
        LSHandlerContentType = "com.adobe.pdf";
        LSHandlerPreferredVersions =         {
            LSHandlerRoleAll = "-";
        };
        LSHandlerRoleAll = "net.sourceforge.skim-app.skim";
    },
        {
        LSHandlerRoleAll = "com.apple.mail";
        LSHandlerURLScheme = mailto;
    }
)`
	if got := macPDFHandler(out); got != skimBundle {
		t.Errorf("handler %q, want Skim's", got)
	}
	if got := macPDFHandler(`(
        {
        LSHandlerContentType = "public.html";
        LSHandlerRoleAll = "com.apple.safari";
    }
)`); got != "" {
		t.Errorf("no PDF handler: %q, want none", got)
	}
	if got := macPDFHandler(""); got != "" {
		t.Errorf("no output: %q", got)
	}
}
