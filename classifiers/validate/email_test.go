package validate

import (
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	check(t, "Email", Email, []struct {
		in   string
		want bool
		why  string
	}{
		{"info@presidio.site", true, "new gTLD"},
		{"john.doe+tag@example.co.uk", true, "plus tag, second-level suffix"},
		{"user@xn--80ak6aa92e.com", true, "punycode label"},
		{"a@xn--d1acufc.xn--p1ai", true, "punycode TLD (.рф)"},
		{"user@пример.рф", true, "Unicode IDN converted to punycode"},
		{"USER@EXAMPLE.COM", true, "upper case"},
		{"müller@example.de", true, "UTF-8 local part"},
		{"o'brien@example.ie", true, "apostrophe"},
		{"x_y@my-app.appspot.com", true, "under a private suffix"},
		{"a@b.ck", true, "TLD listed only through a wildcard rule"},
		{"first.last@sub.example.org", true, "dots and subdomain"},
		{"john@example.notatld", false, "unknown TLD"},
		{"info@presidio.", false, "trailing dot, no TLD"},
		{"hello-world", false, "no @"},
		{"a@com", false, "single label"},
		{"a@example.local", false, ".local is not an ICANN TLD"},
		{"a@example.test", false, ".test is reserved"},
		{"a..b@example.com", false, "double dot in local part"},
		{".a@example.com", false, "leading dot"},
		{"a.@example.com", false, "trailing dot"},
		{"a@-example.com", false, "label starts with hyphen"},
		{"a@example-.com", false, "label ends with hyphen"},
		{"a@example..com", false, "empty label"},
		{"a b@example.com", false, "space"},
		{"a@[192.168.0.1]", false, "IP literal"},
		{`"a b"@example.com`, false, "quoted local part"},
		{"a@exa_mple.com", false, "underscore in domain"},
		{strings.Repeat("a", 65) + "@example.com", false, "local part over 64"},
		{"a@" + strings.Repeat("a", 64) + ".com", false, "label over 63"},
		{"a@xn--.com", false, "bad punycode"},
		{"a@b@example.com", false, "two @"},
		{"", false, "empty"},
	})
}
