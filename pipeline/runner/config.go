package runner

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/pipeline/telemetry"
	"github.com/veilstream/veil/schemas/policy"
)

// Config is a processor's whole configuration, as read from veil.yaml.
type Config struct {
	// Kafka is where events come from and where clean events and dead
	// letters go.
	Kafka kafkaio.Config `yaml:"kafka"`
	// Stream tunes the processing loop (event size limit, shutdown grace).
	Stream stream.Config `yaml:"stream"`
	// Outputs says, for each output named in kafka.outputs, the purpose its
	// consumers have and how it is processed. Every Kafka output must be
	// listed: an output without a purpose would get raw events.
	Outputs []OutputConfig `yaml:"outputs"`
	// Policy is a policy file; empty means the embedded default policy.
	Policy string `yaml:"policy"`
	// Rules is a directory of user rule files laid over the built-in pack.
	Rules string `yaml:"rules"`
	// Schemas is a directory of user event schemas laid over the built-in
	// ones by $id; empty means the built-in schemas alone.
	Schemas string `yaml:"schemas"`
	// SchemaViolations is "reject" (default: an event that violates its
	// schema goes to the dead-letter topic) or "classify" (schemas only
	// classify members).
	SchemaViolations string `yaml:"schema_violations"`
	// MatchTimeout bounds each backtracking rule's search per value; a value
	// whose search times out is unclassifiable and its event is
	// dead-lettered. Default DefaultMatchTimeout.
	MatchTimeout time.Duration `yaml:"match_timeout"`
	// MaxDepth bounds the nesting of an event; deeper events are
	// dead-lettered. 0 means 128.
	MaxDepth int `yaml:"max_depth"`
	// Keys configures the keys of keyed pseudonyms.
	Keys KeysConfig `yaml:"keys"`
	// Origins maps an input topic to the origin of its events ("website",
	// "service", …); outputs whose purpose restricts origins (marketing)
	// skip events from other topics.
	Origins map[string]string `yaml:"origins"`
	// CustomerKeys are top-level event keys naming the customer whose keys
	// pseudonymize the event (e.g. workspace_id, bot_id).
	CustomerKeys []string `yaml:"customer_keys"`
	// Telemetry configures metrics, traces and the health endpoints.
	Telemetry telemetry.Config `yaml:"telemetry"`
	// Reload says how the rules directory, the schemas directory and the
	// policy file are reloaded while veil runs.
	Reload ReloadConfig `yaml:"reload"`
}

// ReloadConfig says how rules, schemas and policy are reloaded while veil
// runs. A reload reads every file, compiles them, and puts the result in
// force between batches, or refuses it whole and keeps the running one if
// anything is invalid. SIGHUP reloads at once, whatever these settings.
type ReloadConfig struct {
	// Interval is how often the files are read and compared, by content
	// digest, with the last ones read. Reading contents rather than waiting
	// for file events works on Kubernetes ConfigMap volumes, whose updates
	// swap a ..data symlink under the files. Default DefaultReloadInterval;
	// at least MinReloadInterval.
	Interval time.Duration `yaml:"interval"`
	// Disabled stops the polling: only SIGHUP reloads.
	Disabled bool `yaml:"disabled"`
}

// Validate checks the reload settings.
func (c ReloadConfig) Validate() error {
	if c.Interval < 0 {
		return fmt.Errorf("interval: %v must not be negative", c.Interval)
	}
	if c.Interval > 0 && c.Interval < MinReloadInterval {
		return fmt.Errorf("interval: %v is shorter than %v (every poll reads every file)", c.Interval, MinReloadInterval)
	}
	return nil
}

// OutputConfig is the processing of one output.
type OutputConfig struct {
	// Name matches an output of kafka.outputs.
	Name string `yaml:"name"`
	// Purpose is the purpose of the output's consumers:
	// product_improvement, security, marketing or service.
	Purpose string `yaml:"purpose"`
	// TagOnly classifies and tags events without changing them (discovery
	// on restricted topics); not allowed on analytics purposes.
	TagOnly bool `yaml:"tag_only"`
	// NATS, when set, makes this output a NATS JetStream subject instead of
	// a topic of kafka.outputs.
	NATS *natsio.Config `yaml:"nats"`
}

// KeysConfig says where pseudonym keys come from.
type KeysConfig struct {
	// Dir holds one secret file per customer (a mounted Kubernetes Secret);
	// deleting a customer's file destroys their pseudonyms' linkability.
	// Empty means keys held in memory only, which link nothing across
	// restarts or replicas.
	Dir string `yaml:"dir"`
	// Rotation is the key period: day (default), week or month.
	Rotation string `yaml:"rotation"`
	// Refresh is how often Dir is re-read. Default one minute.
	Refresh time.Duration `yaml:"refresh"`
}

// DefaultMatchTimeout is the pipeline's match timeout: generous, because a
// timeout dead-letters the event and a loaded node can stall a search.
const DefaultMatchTimeout = 500 * time.Millisecond

// LoadConfig reads and validates a YAML configuration file. Unknown keys
// are errors, and errors name the file, line and key.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig parses and validates configuration data; name is used in
// errors.
func ParseConfig(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return &c, nil
}

// Validate checks the configuration; errors name the key at fault.
func (c *Config) Validate() error {
	var errs []error
	if err := c.Kafka.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("kafka: %w", err))
	}
	if err := c.Stream.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("stream: %w", err))
	}
	kafkaOut := map[string]bool{}
	for _, o := range c.Kafka.Outputs {
		name := o.Name
		if name == "" {
			name = o.Topic
		}
		kafkaOut[name] = true
	}
	seen := map[string]bool{}
	for i, o := range c.Outputs {
		key := fmt.Sprintf("outputs[%d]", i)
		if o.Name == "" {
			errs = append(errs, fmt.Errorf("%s.name: required", key))
			continue
		}
		if seen[o.Name] {
			errs = append(errs, fmt.Errorf("%s.name: output %q listed twice", key, o.Name))
		}
		seen[o.Name] = true
		switch {
		case o.NATS != nil && kafkaOut[o.Name]:
			errs = append(errs, fmt.Errorf("%s.nats: output %q is also a kafka output; name the NATS output differently", key, o.Name))
		case o.NATS != nil:
			if err := o.NATS.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("%s.nats: %w", key, err))
			}
		case !kafkaOut[o.Name]:
			errs = append(errs, fmt.Errorf("%s.name: %q is not an output of kafka.outputs (nor a nats output)", key, o.Name))
		}
		p, err := policy.ParsePurpose(o.Purpose)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.purpose: %w", key, err))
		} else if o.TagOnly && p.Analytics() {
			errs = append(errs, fmt.Errorf("%s.tag_only: not allowed on the analytics purpose %s (it would forward raw events)", key, p))
		}
	}
	for name := range kafkaOut {
		if !seen[name] {
			errs = append(errs, fmt.Errorf("outputs: kafka output %q has no entry (every output needs a purpose)", name))
		}
	}
	if err := c.Telemetry.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("telemetry: %w", err))
	}
	if err := c.Reload.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("reload.%w", err))
	}
	switch c.SchemaViolations {
	case "", "reject", "classify":
	default:
		errs = append(errs, fmt.Errorf("schema_violations: %q is not reject or classify", c.SchemaViolations))
	}
	if c.MatchTimeout < 0 {
		errs = append(errs, errors.New("match_timeout: must not be negative"))
	}
	if c.MaxDepth < 0 {
		errs = append(errs, errors.New("max_depth: must not be negative"))
	}
	if c.Keys.Rotation != "" && !actions.Rotation(c.Keys.Rotation).Valid() {
		errs = append(errs, fmt.Errorf("keys.rotation: %q is not day, week or month", c.Keys.Rotation))
	}
	if c.Keys.Refresh < 0 {
		errs = append(errs, errors.New("keys.refresh: must not be negative"))
	}
	for topic, o := range c.Origins {
		if o == "" {
			errs = append(errs, fmt.Errorf("origins.%s: empty origin", topic))
		}
	}
	for _, path := range []struct{ key, p string }{{"policy", c.Policy}, {"rules", c.Rules}, {"schemas", c.Schemas}, {"keys.dir", c.Keys.Dir}} {
		if path.p == "" {
			continue
		}
		if _, err := os.Stat(path.p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path.key, err))
		}
	}
	return errors.Join(errs...)
}
