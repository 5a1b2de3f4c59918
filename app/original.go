package app

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Which viewer shows an original, and how to ask it for a page. The
// commands are built the same way on every system, so that tests on Linux
// cover the Windows and macOS ones too; only defaultViewer asks the
// system anything.

// defaultViewer names the application the system opens files of this
// media type with, in the form openCommand expects for goos: a desktop
// file name (Linux, BSD), the path of an executable (Windows), a bundle
// identifier (macOS). "" when it cannot be told.
func defaultViewer(ctx context.Context, goos, media string) string {
	run := func(name string, args ...string) string {
		out, err := exec.CommandContext(ctx, name, args...).Output()
		if err != nil {
			return ""
		}
		return string(out)
	}
	switch {
	case goos == "linux" || strings.HasSuffix(goos, "bsd"):
		return strings.TrimSpace(run("xdg-mime", "query", "default", orDefault(media, "application/octet-stream")))
	case goos == "windows" && media == "application/pdf":
		return windowsPDFViewer(winRegistry, os.Getenv, fileExists)
	case goos == "darwin" && media == "application/pdf":
		return macPDFHandler(run("defaults", "read", "com.apple.LaunchServices/com.apple.launchservices.secure", "LSHandlers"))
	}
	return ""
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// openCommand returns the command that shows the file at path, at page
// (1-based, 0 for none) when the viewer is one that can be told a page;
// other viewers get the file alone, through the system's launcher.
func openCommand(goos, viewer, path string, page int) (string, []string) {
	if page > 0 {
		p := strconv.Itoa(page)
		switch goos {
		case "windows":
			switch exe := strings.ToLower(winBase(viewer)); exe {
			case "sumatrapdf.exe":
				return viewer, []string{"-reuse-instance", "-page", p, path}
			case "acrobat.exe", "acrord32.exe":
				// Adobe's "open parameters": /A "page=N".
				return viewer, []string{"/A", "page=" + p, path}
			case "msedge.exe", "chrome.exe", "firefox.exe", "brave.exe":
				// Their PDF viewers read the page from the URL's fragment.
				return viewer, []string{fileURL(goos, path, p)}
			}
		case "darwin":
			if strings.EqualFold(viewer, skimBundle) {
				// Skim takes the page over AppleScript; the path and page
				// go in as arguments, never spliced into the script.
				return "osascript", []string{
					"-e", "on run argv",
					"-e", `tell application "Skim"`,
					"-e", "activate",
					"-e", "open (item 1 of argv)",
					"-e", "tell document (item 2 of argv) to go to page ((item 3 of argv) as integer)",
					"-e", "end tell",
					"-e", "end run",
					path, posixBase(path), p}
			}
		default:
			switch v := strings.ToLower(viewer); {
			case strings.Contains(v, "evince"):
				return "evince", []string{"--page-index=" + p, path}
			case strings.Contains(v, "okular"):
				return "okular", []string{"--page", p, path}
			case strings.Contains(v, "zathura"):
				return "zathura", []string{"--page=" + p, path}
			case strings.Contains(v, "qpdfview"):
				return "qpdfview", []string{path + "#" + p}
			case strings.Contains(v, "mupdf"):
				return "mupdf", []string{path, p}
			}
		}
	}
	switch goos {
	case "darwin":
		// Preview, the usual default, has no way to be told a page.
		return "open", []string{path}
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", path}
	}
	return "xdg-open", []string{path}
}

const skimBundle = "net.sourceforge.skim-app.skim"

// winBase is the file name at the end of a Windows path, on any system.
func winBase(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func posixBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// fileURL is a file: URL of path with "#page=N".
func fileURL(goos, path, page string) string {
	p := path
	if goos == "windows" {
		p = "/" + strings.ReplaceAll(p, `\`, "/") // C:\x\a.pdf → /C:/x/a.pdf
	}
	return (&url.URL{Scheme: "file", Path: p, Fragment: "page=" + page}).String()
}

// windowsPDFViewer finds the executable Windows opens PDFs with: the
// user's choice in Explorer, else the class registered for .pdf; its open
// command names the program. When the command cannot be read but the
// class is SumatraPDF's or Adobe's, their usual install folders are tried.
// reg reads a string value of a registry key ("" for the default value).
func windowsPDFViewer(reg func(key, name string) string, getenv func(string) string, exists func(string) bool) string {
	prog := reg(`HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\FileExts\.pdf\UserChoice`, "ProgId")
	if prog == "" {
		prog = reg(`HKCR\.pdf`, "")
	}
	if prog == "" {
		return ""
	}
	if exe := commandExe(reg(`HKCR\`+prog+`\shell\open\command`, ""), getenv); exe != "" {
		return exe
	}
	return knownWindowsViewer(prog, getenv, exists)
}

// commandExe takes the program out of an open command such as
// `"C:\Program Files\SumatraPDF\SumatraPDF.exe" "%1"` or
// `%ProgramFiles%\App\app.exe %1`.
func commandExe(cmd string, getenv func(string) string) string {
	cmd = strings.TrimSpace(cmd)
	var exe string
	switch {
	case strings.HasPrefix(cmd, `"`):
		if i := strings.IndexByte(cmd[1:], '"'); i >= 0 {
			exe = cmd[1 : i+1]
		}
	default:
		if i := strings.Index(strings.ToLower(cmd), ".exe"); i >= 0 {
			exe = cmd[:i+4]
		}
	}
	return expandWinEnv(exe, getenv)
}

// expandWinEnv replaces %NAME% with the variable's value.
func expandWinEnv(s string, getenv func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		if v := getenv(s[i+1 : i+1+j]); v != "" {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+2])
		}
		s = s[i+j+2:]
	}
	b.WriteString(s)
	return b.String()
}

// knownWindowsViewer looks for SumatraPDF or Adobe's readers where their
// installers put them, for a file class that names one of them.
func knownWindowsViewer(prog string, getenv func(string) string, exists func(string) bool) string {
	var candidates []string
	switch p := strings.ToLower(prog); {
	case strings.Contains(p, "sumatra"):
		candidates = []string{`%LOCALAPPDATA%\SumatraPDF\SumatraPDF.exe`, `%ProgramFiles%\SumatraPDF\SumatraPDF.exe`,
			`%ProgramFiles(x86)%\SumatraPDF\SumatraPDF.exe`}
	case strings.HasPrefix(p, "acroexch.") || strings.HasPrefix(p, "acrobat."):
		candidates = []string{`%ProgramFiles%\Adobe\Acrobat DC\Acrobat\Acrobat.exe`,
			`%ProgramFiles(x86)%\Adobe\Acrobat DC\Acrobat\Acrobat.exe`,
			`%ProgramFiles%\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe`,
			`%ProgramFiles(x86)%\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe`}
	}
	for _, c := range candidates {
		if p := expandWinEnv(c, getenv); !strings.Contains(p, "%") && exists(p) {
			return p
		}
	}
	return ""
}

// macPDFHandler reads the bundle identifier of the application chosen for
// PDFs out of `defaults read …launchservices.secure LSHandlers`, an
// old-style property list of dictionaries such as
//
//	{
//	    LSHandlerContentType = "com.adobe.pdf";
//	    LSHandlerRoleAll = "net.sourceforge.skim-app.skim";
//	}
//
// "" when the user never chose one (then Preview opens them).
func macPDFHandler(out string) string {
	depth := 0
	fields := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		opens, closes := strings.HasSuffix(line, "{") || line == "(", strings.HasPrefix(line, "}") || strings.HasPrefix(line, ")")
		switch {
		case closes:
			if depth == 2 && fields["LSHandlerContentType"] == "com.adobe.pdf" {
				return firstNonEmptyString(fields["LSHandlerRoleViewer"], fields["LSHandlerRoleAll"])
			}
			if depth == 2 {
				fields = map[string]string{}
			}
			depth--
		case opens:
			depth++
		case depth == 2:
			k, v, ok := strings.Cut(strings.TrimSuffix(line, ";"), "=")
			if ok {
				v = strings.Trim(strings.TrimSpace(v), `"`)
				if v != "-" {
					fields[strings.TrimSpace(k)] = v
				}
			}
		}
	}
	return ""
}

func firstNonEmptyString(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
