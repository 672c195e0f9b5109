package natsio

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func validConfig() Config {
	return Config{
		URLs:    []string{"nats://127.0.0.1:4222"},
		Stream:  "CLEAN",
		Subject: "veil.clean.{topic}.{partition}",
	}
}

func TestConfigDefaults(t *testing.T) {
	c := validConfig()
	c.CreateStream.Enabled = true
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	checks := []struct {
		key       string
		got, want any
	}{
		{"name", c.Name, DefaultName},
		{"connect_timeout", c.ConnectTimeout, DefaultConnectTimeout},
		{"publish_timeout", c.PublishTimeout, DefaultPublishTimeout},
		{"max_in_flight", c.MaxInFlight, DefaultMaxInFlight},
		{"retry_timeout", c.RetryTimeout, DefaultRetryTimeout},
		{"resume_scan_messages", c.ResumeScanMessages, DefaultResumeScanMessages},
		{"create_stream.storage", c.CreateStream.Storage, StorageFile},
		{"create_stream.replicas", c.CreateStream.Replicas, DefaultReplicas},
		{"create_stream.duplicate_window", c.CreateStream.DuplicateWindow, DefaultDuplicateWindow},
		{"create_stream.subjects", fmt.Sprint(c.CreateStream.Subjects), "[veil.clean.*.*]"},
		{"auth method", c.Auth.Method(), AuthNone},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s defaulted to %v, want %v", ch.key, ch.got, ch.want)
		}
	}
	// A max_age under the default window shortens the window.
	c = validConfig()
	c.CreateStream = CreateStreamConfig{Enabled: true, MaxAge: time.Minute}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.CreateStream.DuplicateWindow != time.Minute {
		t.Errorf("duplicate_window with max_age 1m defaulted to %s", c.CreateStream.DuplicateWindow)
	}
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	t.Setenv("VEIL_TEST_NATS_PW", "s3cret")
	t.Setenv("VEIL_TEST_NATS_EMPTY", "")
	tests := []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" means valid
	}{
		{"valid", func(*Config) {}, ""},
		{"several urls", func(c *Config) { c.URLs = []string{"nats://a:4222", "tls://b:4443", "ws://c", "wss://d:443"} }, ""},
		{"no urls", func(c *Config) { c.URLs = nil }, "urls: at least one"},
		{"bad scheme", func(c *Config) { c.URLs = []string{"http://a:4222"} }, "urls[0]: scheme \"http\""},
		{"no scheme", func(c *Config) { c.URLs = []string{"nats://a:4222", "a:4222"} }, "urls[1]"},
		{"no host", func(c *Config) { c.URLs = []string{"nats://:4222"} }, "urls[0]: \"nats://:4222\" has no host"},
		{"bad port", func(c *Config) { c.URLs = []string{"nats://a:99999"} }, "urls[0]: \"nats://a:99999\" has an invalid port"},
		{"credentials in url", func(c *Config) { c.URLs = []string{"nats://veil:hunter2@a:4222"} }, "urls[0]: credentials in the URL are refused"},
		{"token in url", func(c *Config) { c.URLs = []string{"nats://t0ken@a:4222"} }, "urls[0]: credentials"},
		{"no stream", func(c *Config) { c.Stream = "" }, "stream: required"},
		{"dotted stream", func(c *Config) { c.Stream = "a.b" }, "stream: \"a.b\" holds '.'"},
		{"spaced stream", func(c *Config) { c.Stream = "a b" }, "stream: \"a b\" holds a space"},
		{"wild stream", func(c *Config) { c.Stream = "a*" }, "stream: \"a*\" holds '*'"},
		{"no subject", func(c *Config) { c.Subject = "" }, "subject: required"},
		{"literal subject", func(c *Config) { c.Subject = "veil.clean" }, ""},
		{"partial token", func(c *Config) { c.Subject = "veil.p{partition}.{topic}x" }, ""},
		{"wildcard subject", func(c *Config) { c.Subject = "veil.*.{partition}" }, "subject: \"veil.*.{partition}\" holds the wildcard '*'"},
		{"tail wildcard", func(c *Config) { c.Subject = "veil.>" }, "subject: \"veil.>\" holds the wildcard '>'"},
		{"empty token", func(c *Config) { c.Subject = "veil..x" }, "subject: \"veil..x\" has an empty token"},
		{"leading dot", func(c *Config) { c.Subject = ".veil" }, "subject: \".veil\" has an empty token"},
		{"trailing dot", func(c *Config) { c.Subject = "veil." }, "subject: \"veil.\" ends with an empty token"},
		{"unknown placeholder", func(c *Config) { c.Subject = "veil.{output}" }, "subject: \"veil.{output}\" has an unknown placeholder"},
		{"stray brace", func(c *Config) { c.Subject = "veil.}" }, "outside a placeholder"},
		{"space in subject", func(c *Config) { c.Subject = "veil clean" }, "subject: \"veil clean\" holds a space"},
		{"bad msg id prefix", func(c *Config) { c.MsgIDPrefix = "a b" }, "msg_id_prefix"},
		{"msg id prefix", func(c *Config) { c.MsgIDPrefix = "analytics-" }, ""},
		{"create keys while off", func(c *Config) { c.CreateStream.Replicas = 3 }, "create_stream.enabled: false, but other"},
		{"create storage", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, Storage: "tape"} }, "create_stream.storage: \"tape\""},
		{"create memory", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, Storage: StorageMemory} }, ""},
		{"create replicas", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, Replicas: 7} }, "create_stream.replicas: 7"},
		{"create max_age", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, MaxAge: -time.Second} }, "create_stream.max_age"},
		{"create max_bytes", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, MaxBytes: -1} }, "create_stream.max_bytes"},
		{"window over max_age", func(c *Config) {
			c.CreateStream = CreateStreamConfig{Enabled: true, MaxAge: time.Minute, DuplicateWindow: time.Hour}
		}, "create_stream.duplicate_window: 1h0m0s is longer than max_age"},
		{"subjects cover", func(c *Config) { c.CreateStream = CreateStreamConfig{Enabled: true, Subjects: []string{"veil.>"}} }, ""},
		{"subjects do not cover", func(c *Config) {
			c.CreateStream = CreateStreamConfig{Enabled: true, Subjects: []string{"veil.clean.web.*"}}
		}, "create_stream.subjects: [\"veil.clean.web.*\"] do not cover"},
		{"bad stream subject", func(c *Config) {
			c.CreateStream = CreateStreamConfig{Enabled: true, Subjects: []string{"veil.>.x", "veil.>"}}
		}, "create_stream.subjects[0]"},
		{"negative publish_timeout", func(c *Config) { c.PublishTimeout = -time.Second }, "publish_timeout"},
		{"negative connect_timeout", func(c *Config) { c.ConnectTimeout = -time.Second }, "connect_timeout"},
		{"negative retry_timeout", func(c *Config) { c.RetryTimeout = -time.Second }, "retry_timeout"},
		{"negative max_in_flight", func(c *Config) { c.MaxInFlight = -1 }, "max_in_flight: -1"},
		{"negative resume scan", func(c *Config) { c.ResumeScanMessages = -1 }, "resume_scan_messages"},
		{"tls keys while off", func(c *Config) { c.TLS.CAFile = file }, "tls.enabled: false, but other"},
		{"tls ok", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CAFile: file} }, ""},
		{"tls missing ca", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CAFile: missing} }, "tls.ca_file"},
		{"tls cert without key", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CertFile: file} }, "cert_file and key_file go together"},
		{"password file", func(c *Config) { c.Auth = AuthConfig{Username: "veil", PasswordFile: file} }, ""},
		{"password env", func(c *Config) { c.Auth = AuthConfig{Username: "veil", PasswordEnv: "VEIL_TEST_NATS_PW"} }, ""},
		{"password without user", func(c *Config) { c.Auth = AuthConfig{PasswordFile: file} }, "auth.username: required"},
		{"user without password", func(c *Config) { c.Auth = AuthConfig{Username: "veil"} }, "auth.password_file: a auth.password_file or auth.password_env is required"},
		{"password file and env", func(c *Config) {
			c.Auth = AuthConfig{Username: "veil", PasswordFile: file, PasswordEnv: "VEIL_TEST_NATS_PW"}
		}, "not both"},
		{"password env empty", func(c *Config) { c.Auth = AuthConfig{Username: "veil", PasswordEnv: "VEIL_TEST_NATS_EMPTY"} }, "auth.password_env: environment variable VEIL_TEST_NATS_EMPTY is unset or empty"},
		{"password file missing", func(c *Config) { c.Auth = AuthConfig{Username: "veil", PasswordFile: missing} }, "auth.password_file"},
		{"token file", func(c *Config) { c.Auth = AuthConfig{TokenFile: file} }, ""},
		{"token env unset", func(c *Config) { c.Auth = AuthConfig{TokenEnv: "VEIL_TEST_NATS_UNSET_XYZ"} }, "auth.token_env"},
		{"creds file", func(c *Config) { c.Auth = AuthConfig{CredsFile: file} }, ""},
		{"creds missing", func(c *Config) { c.Auth = AuthConfig{CredsFile: missing} }, "auth.creds_file"},
		{"nkey missing", func(c *Config) { c.Auth = AuthConfig{NKeySeedFile: missing} }, "auth.nkey_seed_file"},
		{"two methods", func(c *Config) { c.Auth = AuthConfig{TokenFile: file, CredsFile: file} }, "auth: token and creds_file are set; choose one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "nats config: ") {
				t.Errorf("error %q does not say it is the nats config", err)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows a password", err)
			}
		})
	}
}

// TestConfigPrintingHidesSecrets prints a config every way a log line might
// and checks that no secret shows.
func TestConfigPrintingHidesSecrets(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VEIL_TEST_NATS_TOKEN", "tok-s3cret")
	c := validConfig()
	c.URLs = append(c.URLs, "nats://veil:hunter2@b:4222", "nats://tok-inline@c:4222", "nats://%zz@bad")
	c.Auth = AuthConfig{Username: "veil", PasswordFile: pwFile}
	ct := validConfig()
	ct.Auth = AuthConfig{TokenEnv: "VEIL_TEST_NATS_TOKEN"}

	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	log.Info("config", "nats", c, "token", ct)
	log.Info("pointer", "nats", &c)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("json", "nats", c)
	outs := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", &c),
		fmt.Sprintf("%v", ct), fmt.Sprintf("%#v", ct.Auth), fmt.Sprint([]Config{c, ct}),
		logged.String(),
	}
	for _, out := range outs {
		for _, secret := range []string{"hunter2", "tok-inline", "correct horse", "tok-s3cret", "%zz"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q shows in %s", secret, out)
			}
		}
	}
	// What is not secret is shown, so the line is useful.
	for _, want := range []string{"CLEAN", "veil.clean.{topic}.{partition}", `user=\"veil\"`, pwFile} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logged.String())
		}
	}
	if s := ct.String(); !strings.Contains(s, "env VEIL_TEST_NATS_TOKEN") {
		t.Errorf("token config prints %q, want it to name the variable", s)
	}
}

func TestSubjectTemplate(t *testing.T) {
	tests := []struct {
		tmpl      string
		topic     string
		partition int32
		subject   string
		pattern   string
	}{
		{"veil.clean.{topic}.{partition}", "events", 3, "veil.clean.events.3", "veil.clean.*.*"},
		{"veil.clean.{topic}.{partition}", "web.events", 0, "veil.clean.web_events.0", "veil.clean.*.*"},
		{"veil.clean.{topic}.{partition}", "a*b>c d", 1, "veil.clean.a_b_c_d.1", "veil.clean.*.*"},
		{"veil.clean.{topic}.{partition}", "", 1, "veil.clean._.1", "veil.clean.*.*"},
		{"{partition}.{topic}", "Ab-_9", 12, "12.Ab-_9", "*.*"},
		{"out.p{partition}", "x", 7, "out.p7", "out.*"},
		{"fixed", "x", 7, "fixed", "fixed"},
		{"a.{topic}-{partition}.z", "t", 2, "a.t-2.z", "a.*.z"},
	}
	for _, tt := range tests {
		tmpl, err := parseSubject(tt.tmpl)
		if err != nil {
			t.Fatalf("%q: %v", tt.tmpl, err)
		}
		if got := string(tmpl.append(nil, tt.topic, tt.partition)); got != tt.subject {
			t.Errorf("%q with %q/%d renders %q, want %q", tt.tmpl, tt.topic, tt.partition, got, tt.subject)
		}
		if got := tmpl.pattern(); got != tt.pattern {
			t.Errorf("%q pattern %q, want %q", tt.tmpl, got, tt.pattern)
		}
	}
}

func TestSubsetMatch(t *testing.T) {
	tests := []struct {
		pattern, filter string
		want            bool
	}{
		{"a.b", "a.b", true},
		{"a.b", "a.*", true},
		{"a.*", "a.*", true},
		{"a.*", "a.b", false},
		{"a.*.*", "a.>", true},
		{"a", "a.>", false},
		{"a.b.c", "*.b.>", true},
		{"a.b.c", "a.b", false},
		{"a.b", "a.b.c", false},
		{"a.*.c", "a.*.d", false},
		{"x.y", ">", true},
	}
	for _, tt := range tests {
		if got := subsetMatch(tt.pattern, tt.filter); got != tt.want {
			t.Errorf("subsetMatch(%q, %q) = %t, want %t", tt.pattern, tt.filter, got, tt.want)
		}
	}
}

// FuzzSubjectTemplate checks that any accepted template renders, for any
// topic and partition, a valid publish subject that its stream pattern
// covers, and that the parser never panics.
func FuzzSubjectTemplate(f *testing.F) {
	for _, s := range []string{"veil.clean.{topic}.{partition}", "a", "a..b", "{x}", "a.{topic", "p{partition}q.{topic}{topic}", "*", ".", "a.>"} {
		f.Add(s, "web.events", int32(3))
	}
	f.Fuzz(func(t *testing.T, tmplText, topic string, partition int32) {
		tmpl, err := parseSubject(tmplText)
		if err != nil {
			return
		}
		subj := string(tmpl.append(nil, topic, partition))
		if subj == "" {
			t.Fatalf("%q renders an empty subject", tmplText)
		}
		for tok := range strings.SplitSeq(subj, ".") {
			if tok == "" || tok == "*" || tok == ">" {
				t.Fatalf("%q with topic %q renders %q, which has the token %q", tmplText, topic, subj, tok)
			}
		}
		for i := 0; i < len(subj); i++ {
			if subj[i] <= ' ' || subj[i] >= 0x7f {
				t.Fatalf("%q renders %q with byte %#x", tmplText, subj, subj[i])
			}
		}
		p := tmpl.pattern()
		if err := checkFilter(p); err != nil {
			t.Fatalf("pattern %q of %q is not a valid filter: %v", p, tmplText, err)
		}
		if !subsetMatch(subj, p) {
			t.Fatalf("pattern %q does not match %q rendered from %q", p, subj, tmplText)
		}
	})
}

// TestConfigYAML decodes testdata/sink.yaml, which sets every key, with
// unknown keys refused: the yaml tags are the documented keys.
func TestConfigYAML(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sink.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("CA_FILE", secret, "PASSWORD_FILE", secret).Replace(string(raw))
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := Config{
		URLs:        []string{"nats://127.0.0.1:4222", "tls://nats-2.internal:4222"},
		Name:        "veil-analytics",
		Stream:      "CLEAN_ANALYTICS",
		Subject:     "veil.analytics.{topic}.{partition}",
		MsgIDPrefix: "analytics-",
		CreateStream: CreateStreamConfig{Enabled: true, Subjects: []string{"veil.analytics.>"}, Storage: StorageFile, Replicas: 3,
			MaxAge: 168 * time.Hour, MaxBytes: 10 << 30, DuplicateWindow: 10 * time.Minute},
		ConnectTimeout:     5 * time.Second,
		PublishTimeout:     10 * time.Second,
		MaxInFlight:        2048,
		RetryTimeout:       2 * time.Minute,
		ResumeScanMessages: 20000,
		TLS:                TLSConfig{Enabled: true, CAFile: secret, ServerName: "nats.internal"},
		Auth:               AuthConfig{Username: "veil", PasswordFile: secret},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("decoded\n%#v\nwant\n%#v", fieldsOf(c), fieldsOf(want))
	}
	dec = yaml.NewDecoder(strings.NewReader("stream: X\npasword_file: typo\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&Config{}); err == nil {
		t.Fatal("an unknown key decoded without error")
	}
}

// fieldsOf prints a config field by field (its own String hides details).
func fieldsOf(c Config) string {
	type plain Config
	return fmt.Sprintf("%+v", plain(c))
}
