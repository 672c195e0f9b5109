package actions

import (
	"bytes"
	"strings"
)

// UserAgent appends a generalized form of a User-Agent header: the browser
// family with its major version and the OS family, "Chrome 120 / Windows",
// "Safari 17 / iOS 17", "Samsung Internet 23 / Android 14". Versions never
// go beyond the major number, and device models, build numbers, locales and
// anything else in the header are left out. The OS part names Windows,
// macOS, iOS (with major version), Android (with major version), ChromeOS
// or Linux, and is omitted when unknown; an unknown browser is "Other".
// Crawlers and monitoring robots are "bot"; well-known HTTP clients keep
// their name and major version ("curl 8", "python-requests 2").
//
// UserAgent reports false, leaving dst unchanged, only for an empty ua.
func UserAgent(dst []byte, ua string) ([]byte, bool) {
	ua = strings.TrimSpace(ua)
	if ua == "" {
		return dst, false
	}
	if isBot(ua) {
		return append(dst, "bot"...), true
	}
	if name, ver, ok := httpClient(ua); ok {
		dst = append(dst, name...)
		return appendMajor(dst, ver), true
	}
	name, ver := browser(ua)
	dst = append(dst, name...)
	dst = appendMajor(dst, ver)
	if osName, osVer := operatingSystem(ua); osName != "" {
		dst = append(dst, " / "...)
		dst = append(dst, osName...)
		dst = appendMajor(dst, osVer)
	}
	return dst, true
}

// appendMajor writes " " and the leading digits of ver, when there are 1 to
// 4 of them (longer numbers are not major versions and are left out).
func appendMajor(dst []byte, ver string) []byte {
	n := 0
	for n < len(ver) && isDigit(ver[n]) {
		n++
	}
	if n == 0 || n > 4 {
		return dst
	}
	dst = append(dst, ' ')
	return append(dst, ver[:n]...)
}

// after returns what follows the first occurrence of token in s.
func after(s, token string) (string, bool) {
	i := strings.Index(s, token)
	if i < 0 {
		return "", false
	}
	return s[i+len(token):], true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

var botWords = []string{
	"crawler", "crawling", "spider", "slurp", "facebookexternalhit", "headlesschrome",
	"mediapartners", "lighthouse", "pingdom", "phantomjs", "scrapy", "bingpreview",
	"feedfetcher", "archive.org_bot", "ia_archiver",
}

// isBot reports whether ua names a crawler or robot: one of botWords, or
// "bot" ending a word ("Googlebot/2.1", "AhrefsBot", "Slackbot-…") but not
// inside a device name such as "Cubot".
//
// Only the first botScan bytes are examined; a robot that hides its name
// further on is reported as a browser, which exposes no person either.
func isBot(ua string) bool {
	var buf [botScan]byte
	n := copy(buf[:], ua)
	for i := range n {
		buf[i] = lowerASCII(buf[i])
	}
	low := buf[:n]
	for _, w := range botWords {
		if bytes.Contains(low, []byte(w)) {
			return true
		}
	}
	for off := 0; ; {
		j := bytes.Index(low[off:], []byte("bot"))
		if j < 0 {
			return false
		}
		i := off + j
		off = i + 3
		if i+3 < n && (isLetter(low[i+3]) || isDigit(low[i+3])) {
			continue // "bottle", "botswana", "bot2"
		}
		if i >= 2 && low[i-2] == 'c' && low[i-1] == 'u' {
			continue // Cubot phones
		}
		return true
	}
}

// botScan is how much of a User-Agent isBot examines.
const botScan = 512

// httpClients are non-browser clients kept by name.
var httpClients = []string{
	"curl", "Wget", "python-requests", "Python-urllib", "python-httpx", "aiohttp", "Go-http-client",
	"okhttp", "axios", "node-fetch", "undici", "PostmanRuntime", "insomnia", "HTTPie",
	"Apache-HttpClient", "Java", "Dart", "libwww-perl", "Ruby", "Faraday", "Deno", "Bun",
}

// httpClient recognizes "name/version…" where name is one of httpClients.
func httpClient(ua string) (name, ver string, ok bool) {
	if strings.HasPrefix(ua, "Mozilla/") {
		return "", "", false
	}
	for _, c := range httpClients {
		if len(ua) > len(c) && strings.EqualFold(ua[:len(c)], c) && ua[len(c)] == '/' {
			return c, ua[len(c)+1:], true
		}
	}
	return "", "", false
}

// browserTokens are checked in order: embedding browsers announce Chrome or
// Safari too, so they come first.
var browserTokens = []struct{ token, name string }{
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"Edge/", "Edge"},
	{"OPR/", "Opera"}, {"OPT/", "Opera"}, {"OPiOS/", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"YaBrowser/", "Yandex Browser"},
	{"Vivaldi/", "Vivaldi"},
	{"UCBrowser/", "UC Browser"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"},
	{"Chromium/", "Chromium"},
}

func browser(ua string) (name, ver string) {
	for _, b := range browserTokens {
		if v, ok := after(ua, b.token); ok {
			return b.name, v
		}
	}
	if v, ok := after(ua, "Chrome/"); ok {
		if strings.Contains(ua, "; wv)") {
			return "Android WebView", v
		}
		return "Chrome", v
	}
	if v, ok := after(ua, "MSIE "); ok {
		return "Internet Explorer", v
	}
	if strings.Contains(ua, "Trident/7.") {
		return "Internet Explorer", "11"
	}
	if strings.HasPrefix(ua, "Opera/") {
		v, _ := after(ua, "Version/")
		return "Opera", v
	}
	if strings.Contains(ua, "Safari/") || strings.Contains(ua, "AppleWebKit/") {
		v, _ := after(ua, "Version/")
		return "Safari", v
	}
	return "Other", ""
}

func operatingSystem(ua string) (name, ver string) {
	switch {
	case strings.Contains(ua, "Windows"):
		return "Windows", ""
	case strings.Contains(ua, "iPhone") || strings.Contains(ua, "iPad") || strings.Contains(ua, "iPod"):
		if v, ok := after(ua, " OS "); ok {
			return "iOS", v
		}
		return "iOS", ""
	case strings.Contains(ua, "Android"):
		v, _ := after(ua, "Android ")
		return "Android", v
	case strings.Contains(ua, "CrOS"):
		return "ChromeOS", ""
	case strings.Contains(ua, "Macintosh") || strings.Contains(ua, "Mac OS X"):
		return "macOS", ""
	case strings.Contains(ua, "Linux") || strings.Contains(ua, "X11"):
		return "Linux", ""
	}
	return "", ""
}
