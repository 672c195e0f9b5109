package charttest

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestDockerfileBuild runs the go build command of deploy/Dockerfile's build
// stage as it is written, without Docker, and checks that the binary is
// static and that `veil version` prints the version and commit stamped
// through -ldflags (so a renamed variable in cmd/veil/version.go fails here,
// not in a release).
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds veil")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the image is linux")
	}
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := buildCommand(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cmd, "CGO_ENABLED=0") {
		t.Errorf("the build command does not disable cgo: %s", cmd)
	}
	out := filepath.Join(t.TempDir(), "veil")
	cmd = strings.Replace(cmd, "/out/veil", out, 1)
	const version, commit = "v9.8.7-charttest", "0123456789abcdef0123456789abcdef01234567"
	sh := exec.Command("sh", "-c", cmd)
	sh.Dir = filepath.Join("..", "..")
	sh.Env = append(os.Environ(), "VERSION="+version, "COMMIT="+commit, "TARGETOS="+runtime.GOOS, "TARGETARCH="+runtime.GOARCH)
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary needs a dynamic loader; distroless/static has none")
		}
	}
	f.Close()
	got, err := exec.Command(out, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("veil version: %v\n%s", err, got)
	}
	if want := "veil " + version + " (commit " + commit + ")"; string(bytes.TrimSpace(got)) != want {
		t.Errorf("veil version printed %q, want %q", got, want)
	}
}

var runLine = regexp.MustCompile(`^RUN\s+((?:--\S+\s+)*)(.*)$`)

// buildCommand returns the shell command of the Dockerfile's RUN
// instruction that runs go build, continuation lines joined and RUN's own
// flags (--mount) removed.
func buildCommand(dockerfile string) (string, error) {
	var instr []string
	var cur strings.Builder
	for _, line := range strings.Split(dockerfile, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`) + " ")
			continue
		}
		cur.WriteString(trimmed)
		instr = append(instr, cur.String())
		cur.Reset()
	}
	for _, in := range instr {
		m := runLine.FindStringSubmatch(in)
		if m != nil && strings.Contains(m[2], "go build") {
			return m[2], nil
		}
	}
	return "", errors.New("the Dockerfile has no RUN instruction with go build")
}
