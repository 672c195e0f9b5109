package natsio

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by [Config.Validate] to zero fields.
const (
	DefaultName               = "veil"
	DefaultConnectTimeout     = 5 * time.Second
	DefaultPublishTimeout     = 5 * time.Second
	DefaultMaxInFlight        = 1024
	DefaultRetryTimeout       = time.Minute
	DefaultResumeScanMessages = 10000
	DefaultDuplicateWindow    = 2 * time.Minute
	DefaultReplicas           = 1
)

// Storage kinds for a stream the sink creates.
const (
	StorageFile   = "file"
	StorageMemory = "memory"
)

// Placeholders of the subject template.
const (
	// PlaceholderTopic is replaced by the record's source topic, as one
	// subject token: bytes other than ASCII letters, digits, '-' and '_'
	// (dots included) become '_'.
	PlaceholderTopic = "{topic}"
	// PlaceholderPartition is replaced by the record's source partition in
	// decimal.
	PlaceholderPartition = "{partition}"
)

// Config is one JetStream output: the servers, the stream and subject the
// records go to, and how to authenticate. Field names in errors are the yaml
// keys. It holds no secret: passwords, tokens and keys are read from the
// files or environment variables it names when the sink connects.
type Config struct {
	// URLs are the servers to connect to, nats://host:port (tls://host:port
	// forces TLS; ws:// and wss:// are WebSocket). Required. Credentials in
	// a URL are refused: use auth.
	URLs []string `yaml:"urls"`
	// Name is the connection name the servers show for this client.
	// Default "veil".
	Name string `yaml:"name"`
	// Stream is the JetStream stream the subject belongs to. Every publish
	// names it (Nats-Expected-Stream), so a record never lands in another
	// stream that happens to capture the subject. Required.
	Stream string `yaml:"stream"`
	// Subject is the template of the subject each record is published to.
	// {topic} becomes the record's source topic (one token: characters
	// other than letters, digits, '-' and '_' become '_') and {partition}
	// its source partition, so "veil.clean.{topic}.{partition}" gives each
	// input partition a subject of its own, which keeps the read-back of
	// [Sink.Written] short. A template without placeholders works too. No
	// wildcards, spaces or empty tokens. Required.
	Subject string `yaml:"subject"`
	// MsgIDPrefix is put in front of every Nats-Msg-Id
	// ("<prefix><source-topic>-<partition>-<offset>"). Set it when several
	// veil outputs write to one stream: the stream drops a message whose ID
	// it has seen within its duplicate window, whatever the subject.
	MsgIDPrefix string `yaml:"msg_id_prefix"`
	// CreateStream creates the stream when it does not exist; off unless
	// Enabled. An existing stream is used as it is and never changed.
	CreateStream CreateStreamConfig `yaml:"create_stream"`
	// ConnectTimeout bounds the first connection (and each reconnection
	// attempt) to a server. Default 5s.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// PublishTimeout is how long a published record waits for the stream's
	// acknowledgement before it counts as failed (and is retried). Default
	// 5s.
	PublishTimeout time.Duration `yaml:"publish_timeout"`
	// MaxInFlight bounds the records published and not yet acknowledged,
	// across every Write of the sink. Default 1024.
	MaxInFlight int `yaml:"max_in_flight"`
	// RetryTimeout is how long one Write keeps retrying records whose
	// failure is transient (no acknowledgement, a lost connection, the
	// stream briefly without a leader) before it gives up and fails, which
	// stops the processor without committing. Default 1m.
	RetryTimeout time.Duration `yaml:"retry_timeout"`
	// ResumeScanMessages is how many messages of a source partition's subject
	// [Sink.Written] reads back, at most, when the partition is claimed.
	// Default 10000.
	ResumeScanMessages int `yaml:"resume_scan_messages"`
	// TLS secures connections; off unless Enabled (or a URL is tls:// or
	// wss://, which uses the system roots).
	TLS TLSConfig `yaml:"tls"`
	// Auth authenticates the connection; none when empty.
	Auth AuthConfig `yaml:"auth"`
}

// CreateStreamConfig describes the stream NewSink creates when it is
// missing. Messages are discarded oldest first once a limit is reached.
type CreateStreamConfig struct {
	// Enabled creates the stream if it does not exist.
	Enabled bool `yaml:"enabled"`
	// Subjects the stream captures. Default: the subject template with every
	// token holding a placeholder replaced by '*' ("veil.{topic}.{partition}"
	// gives "veil.*.*"). Each must cover the subject template.
	Subjects []string `yaml:"subjects"`
	// Storage is "file" (default) or "memory".
	Storage string `yaml:"storage"`
	// Replicas is how many servers hold the stream, 1 to 5. Default 1.
	Replicas int `yaml:"replicas"`
	// MaxAge drops messages older than this; 0 keeps them forever.
	MaxAge time.Duration `yaml:"max_age"`
	// MaxBytes drops the oldest messages when the stream grows past this
	// many bytes; 0 means no limit.
	MaxBytes int64 `yaml:"max_bytes"`
	// DuplicateWindow is how long the stream remembers message IDs to drop
	// re-published records. It should cover a crash and restart of a
	// processor; past it, the read-back of [Sink.Written] still prevents
	// duplicates. Default 2m; at most max_age when that is set.
	DuplicateWindow time.Duration `yaml:"duplicate_window"`
}

// TLSConfig secures server connections.
type TLSConfig struct {
	// Enabled turns TLS on (with the system roots unless CAFile is set).
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM file of CA certificates to trust instead of the
	// system roots.
	CAFile string `yaml:"ca_file"`
	// CertFile is a PEM client certificate for mutual TLS; with KeyFile.
	CertFile string `yaml:"cert_file"`
	// KeyFile is the PEM private key of CertFile.
	KeyFile string `yaml:"key_file"`
	// ServerName overrides the name checked in the servers' certificates.
	ServerName string `yaml:"server_name"`
	// InsecureSkipVerifyDangerous disables certificate verification. For
	// tests only: it lets anyone on the path read and change every event.
	InsecureSkipVerifyDangerous bool `yaml:"insecure_skip_verify_dangerous"`
}

// AuthConfig authenticates the connection with one method: a user and
// password, a token, a .creds file (JWT and nkey seed) or an nkey seed file.
// Secrets come from files or environment variables, never from the config
// itself, and are never logged.
type AuthConfig struct {
	// Username is the user for password authentication.
	Username string `yaml:"username"`
	// PasswordFile is a file holding the password (trailing newline
	// ignored).
	PasswordFile string `yaml:"password_file"`
	// PasswordEnv names an environment variable holding the password.
	PasswordEnv string `yaml:"password_env"`
	// TokenFile is a file holding an authentication token (trailing
	// newline ignored).
	TokenFile string `yaml:"token_file"`
	// TokenEnv names an environment variable holding the token.
	TokenEnv string `yaml:"token_env"`
	// CredsFile is a NATS .creds file (user JWT and nkey seed), as nsc
	// writes it, for servers in operator mode.
	CredsFile string `yaml:"creds_file"`
	// NKeySeedFile is a file holding a user nkey seed (SU...).
	NKeySeedFile string `yaml:"nkey_seed_file"`
}

// Auth methods, as [AuthConfig.Method] reports them.
const (
	AuthNone     = "none"
	AuthPassword = "password"
	AuthToken    = "token"
	AuthCreds    = "creds"
	AuthNKey     = "nkey"
)

// Validate fills defaults into zero fields and reports every invalid field,
// naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	if len(c.URLs) == 0 {
		bad("urls", "at least one server URL is required")
	}
	for i, u := range c.URLs {
		if err := checkURL(u); err != nil {
			bad(fmt.Sprintf("urls[%d]", i), "%v", err)
		}
	}
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.Stream == "" {
		bad("stream", "required")
	} else if err := checkStreamName(c.Stream); err != nil {
		bad("stream", "%v", err)
	}
	var tmpl subjectTemplate
	tmplOK := false
	if c.Subject == "" {
		bad("subject", "required (for example \"veil.clean.{topic}.{partition}\")")
	} else if t, err := parseSubject(c.Subject); err != nil {
		bad("subject", "%v", err)
	} else {
		tmpl, tmplOK = t, true
	}
	if err := checkHeaderish(c.MsgIDPrefix); err != nil {
		bad("msg_id_prefix", "%v", err)
	}
	c.CreateStream.validate(bad, tmpl, tmplOK)
	defDur(&c.ConnectTimeout, DefaultConnectTimeout)
	if c.ConnectTimeout < 0 {
		bad("connect_timeout", "%s is negative", c.ConnectTimeout)
	}
	defDur(&c.PublishTimeout, DefaultPublishTimeout)
	if c.PublishTimeout < 0 {
		bad("publish_timeout", "%s is negative", c.PublishTimeout)
	}
	defInt(&c.MaxInFlight, DefaultMaxInFlight)
	if c.MaxInFlight < 1 {
		bad("max_in_flight", "%d is not positive", c.MaxInFlight)
	}
	defDur(&c.RetryTimeout, DefaultRetryTimeout)
	if c.RetryTimeout < 0 {
		bad("retry_timeout", "%s is negative", c.RetryTimeout)
	}
	defInt(&c.ResumeScanMessages, DefaultResumeScanMessages)
	if c.ResumeScanMessages < 1 {
		bad("resume_scan_messages", "%d is not positive", c.ResumeScanMessages)
	}
	c.TLS.validate(bad)
	c.Auth.validate(bad)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("nats config: %w", err)
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		// url.Parse quotes the input; a URL with credentials must not be
		// echoed back.
		return errors.New("not a URL (want nats://host:port)")
	}
	switch u.Scheme {
	case "nats", "tls", "ws", "wss":
	default:
		return fmt.Errorf("scheme %q is not nats, tls, ws or wss", u.Scheme)
	}
	if u.User != nil {
		return errors.New("credentials in the URL are refused (they would show in logs); use auth")
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host", s)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q has an invalid port", s)
		}
	}
	return nil
}

// checkStreamName applies the server's rules for stream names.
func checkStreamName(s string) error {
	if len(s) > 255 {
		return fmt.Errorf("%d bytes long, at most 255", len(s))
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b <= ' ' || b == 0x7f:
			return fmt.Errorf("%q holds a space or control character", s)
		case b == '.' || b == '*' || b == '>' || b == '/' || b == '\\':
			return fmt.Errorf("%q holds %q, which stream names cannot", s, b)
		}
	}
	return nil
}

// checkHeaderish accepts the printable ASCII a header value carries verbatim.
func checkHeaderish(s string) error {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b >= 0x7f {
			return fmt.Errorf("%q holds a space, control or non-ASCII character", s)
		}
	}
	return nil
}

func (s *CreateStreamConfig) validate(bad func(string, string, ...any), tmpl subjectTemplate, tmplOK bool) {
	if !s.Enabled {
		if len(s.Subjects) > 0 || s.Storage != "" || s.Replicas != 0 || s.MaxAge != 0 || s.MaxBytes != 0 || s.DuplicateWindow != 0 {
			bad("create_stream.enabled", "false, but other create_stream keys are set; set enabled: true or remove them")
		}
		return
	}
	for i, sub := range s.Subjects {
		key := fmt.Sprintf("create_stream.subjects[%d]", i)
		if err := checkFilter(sub); err != nil {
			bad(key, "%v", err)
		}
	}
	if tmplOK {
		if len(s.Subjects) == 0 {
			s.Subjects = []string{tmpl.pattern()}
		} else if !covered(tmpl.pattern(), s.Subjects) {
			bad("create_stream.subjects", "%q do not cover every subject of the template %q", s.Subjects, tmpl.pattern())
		}
	}
	switch s.Storage {
	case "":
		s.Storage = StorageFile
	case StorageFile, StorageMemory:
	default:
		bad("create_stream.storage", "%q is not file or memory", s.Storage)
	}
	defInt(&s.Replicas, DefaultReplicas)
	if s.Replicas < 1 || s.Replicas > 5 {
		bad("create_stream.replicas", "%d is not in [1, 5]", s.Replicas)
	}
	if s.MaxAge < 0 {
		bad("create_stream.max_age", "%s is negative", s.MaxAge)
	}
	if s.MaxBytes < 0 {
		bad("create_stream.max_bytes", "%d is negative", s.MaxBytes)
	}
	if s.DuplicateWindow == 0 {
		s.DuplicateWindow = DefaultDuplicateWindow
		if s.MaxAge > 0 && s.MaxAge < s.DuplicateWindow {
			s.DuplicateWindow = s.MaxAge
		}
	}
	if s.DuplicateWindow < 0 {
		bad("create_stream.duplicate_window", "%s is negative", s.DuplicateWindow)
	} else if s.MaxAge > 0 && s.DuplicateWindow > s.MaxAge {
		bad("create_stream.duplicate_window", "%s is longer than max_age %s", s.DuplicateWindow, s.MaxAge)
	}
}

func (t *TLSConfig) validate(bad func(string, string, ...any)) {
	if !t.Enabled {
		if t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != "" || t.InsecureSkipVerifyDangerous {
			bad("tls.enabled", "false, but other tls keys are set; set enabled: true or remove them")
		}
		return
	}
	fileKey(bad, "tls.ca_file", t.CAFile)
	fileKey(bad, "tls.cert_file", t.CertFile)
	fileKey(bad, "tls.key_file", t.KeyFile)
	if (t.CertFile == "") != (t.KeyFile == "") {
		bad("tls.cert_file", "cert_file and key_file go together")
	}
}

// Method reports which authentication the config selects: "none",
// "password", "token", "creds" or "nkey". It is meaningful once Validate
// accepted the config.
func (a *AuthConfig) Method() string {
	switch {
	case a.Username != "":
		return AuthPassword
	case a.TokenFile != "" || a.TokenEnv != "":
		return AuthToken
	case a.CredsFile != "":
		return AuthCreds
	case a.NKeySeedFile != "":
		return AuthNKey
	}
	return AuthNone
}

func (a *AuthConfig) validate(bad func(string, string, ...any)) {
	var methods []string
	if a.Username != "" || a.PasswordFile != "" || a.PasswordEnv != "" {
		methods = append(methods, "username/password")
	}
	if a.TokenFile != "" || a.TokenEnv != "" {
		methods = append(methods, "token")
	}
	if a.CredsFile != "" {
		methods = append(methods, "creds_file")
	}
	if a.NKeySeedFile != "" {
		methods = append(methods, "nkey_seed_file")
	}
	if len(methods) > 1 {
		bad("auth", "%s are set; choose one authentication method", strings.Join(methods, " and "))
		return
	}
	secret := func(fileKeyName, file, envKeyName, env, what string) {
		switch {
		case file != "" && env != "":
			bad(fileKeyName, "set %s or %s, not both", fileKeyName, envKeyName)
		case file != "":
			fileKey(bad, fileKeyName, file)
		case env != "":
			if os.Getenv(env) == "" {
				bad(envKeyName, "environment variable %s is unset or empty", env)
			}
		default:
			bad(fileKeyName, "a %s or %s is required with %s", fileKeyName, envKeyName, what)
		}
	}
	switch {
	case a.Username != "" || a.PasswordFile != "" || a.PasswordEnv != "":
		if a.Username == "" {
			bad("auth.username", "required with a password")
		}
		secret("auth.password_file", a.PasswordFile, "auth.password_env", a.PasswordEnv, "auth.username")
	case a.TokenFile != "" || a.TokenEnv != "":
		secret("auth.token_file", a.TokenFile, "auth.token_env", a.TokenEnv, "a token")
	case a.CredsFile != "":
		fileKey(bad, "auth.creds_file", a.CredsFile)
	case a.NKeySeedFile != "":
		fileKey(bad, "auth.nkey_seed_file", a.NKeySeedFile)
	}
}

func fileKey(bad func(string, string, ...any), key, path string) {
	if path == "" {
		return
	}
	if _, err := os.Stat(path); err != nil {
		bad(key, "%v", err)
	}
}

func defInt(p *int, d int) {
	if *p == 0 {
		*p = d
	}
}

func defDur(p *time.Duration, d time.Duration) {
	if *p == 0 {
		*p = d
	}
}

// String describes the config for logs and errors. It names where secrets
// come from (files, environment variables), never their values, and hides
// any credentials a URL holds.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("nats{urls=[")
	for i, u := range c.URLs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(redactURL(u))
	}
	fmt.Fprintf(&b, "] stream=%q subject=%q", c.Stream, c.Subject)
	if c.CreateStream.Enabled {
		fmt.Fprintf(&b, " create_stream={storage=%s replicas=%d max_age=%s max_bytes=%d duplicate_window=%s}",
			c.CreateStream.Storage, c.CreateStream.Replicas, c.CreateStream.MaxAge, c.CreateStream.MaxBytes, c.CreateStream.DuplicateWindow)
	}
	fmt.Fprintf(&b, " tls=%t auth=%s}", c.TLS.Enabled || tlsScheme(c.URLs), c.Auth.String())
	return b.String()
}

// GoString is String, so %#v does not print fields one by one either.
func (c Config) GoString() string { return c.String() }

// LogValue implements slog.LogValuer with the same redaction as String.
func (c Config) LogValue() slog.Value {
	urls := make([]string, len(c.URLs))
	for i, u := range c.URLs {
		urls[i] = redactURL(u)
	}
	return slog.GroupValue(
		slog.Any("urls", urls),
		slog.String("stream", c.Stream),
		slog.String("subject", c.Subject),
		slog.Bool("create_stream", c.CreateStream.Enabled),
		slog.Bool("tls", c.TLS.Enabled || tlsScheme(c.URLs)),
		slog.String("auth", c.Auth.String()),
	)
}

// String names the authentication method and where its secret comes from.
func (a AuthConfig) String() string {
	src := func(file, env string) string {
		switch {
		case file != "":
			return "file " + file
		case env != "":
			return "env " + env
		}
		return "unset"
	}
	switch a.Method() {
	case AuthPassword:
		return fmt.Sprintf("password(user=%q, secret from %s)", a.Username, src(a.PasswordFile, a.PasswordEnv))
	case AuthToken:
		return "token(secret from " + src(a.TokenFile, a.TokenEnv) + ")"
	case AuthCreds:
		return "creds(file " + a.CredsFile + ")"
	case AuthNKey:
		return "nkey(seed file " + a.NKeySeedFile + ")"
	}
	if a.PasswordFile != "" || a.PasswordEnv != "" {
		return "password(user unset, secret from " + src(a.PasswordFile, a.PasswordEnv) + ")"
	}
	return AuthNone
}

// GoString is String.
func (a AuthConfig) GoString() string { return a.String() }

// LogValue implements slog.LogValuer.
func (a AuthConfig) LogValue() slog.Value { return slog.StringValue(a.String()) }

// redactURL drops any user information from a URL; an unparsable URL is
// replaced entirely, since it cannot be checked for credentials.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "<invalid URL>"
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	return u.String()
}

func tlsScheme(urls []string) bool {
	for _, s := range urls {
		if strings.HasPrefix(s, "tls://") || strings.HasPrefix(s, "wss://") {
			return true
		}
	}
	return false
}
