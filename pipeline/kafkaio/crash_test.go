package kafkaio_test

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/stream"
)

const (
	envBroker = "VEIL_TEST_CRASH_BROKER"
	envGroup  = "VEIL_TEST_CRASH_GROUP"
)

var crashOutputs = []kafkaio.OutputConfig{
	{Name: "by-source", Topic: "clean-src", Partitioning: kafkaio.PartitionSource},
	{Name: "by-key", Topic: "clean-key", Partitioning: kafkaio.PartitionKey},
}

func crashConfig(addr, group string) kafkaio.Config {
	c := baseConfig(addr, group, []string{"in"}, crashOutputs...)
	c.Consumer.BatchRecords = 50
	c.Consumer.MaxInFlightBatches = 4
	return c
}

// TestHelperCrashProcessor is not a test: TestCrashAndRestart runs the test
// binary again with only this function, as a processor it can SIGKILL.
func TestHelperCrashProcessor(t *testing.T) {
	addr := os.Getenv(envBroker)
	if addr == "" {
		t.Skip("helper process for TestCrashAndRestart")
	}
	c := crashConfig(addr, os.Getenv(envGroup))
	// Slow writes keep the processor mid-stream when it is killed.
	c.Producer.BatchTimeout = 10 * time.Millisecond
	p, err := kafkaio.NewProcessor(c, stream.Config{}, withDropEmail()...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = p.Run(ctx)
}

// TestCrashAndRestart kills a processor (SIGKILL of a separate process, so no
// graceful close of anything) mid-stream and restarts one in the same group:
// nothing is missing from any output; the source-partitioned output and the
// dead-letter topic (resume rule) have no duplicate; the key-partitioned one
// has at most one batch per input partition.
func TestCrashAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	const (
		total      = 12000
		partitions = 4
	)
	addr := startCluster(t, topicSpec{"in", partitions}, topicSpec{"clean-src", partitions}, topicSpec{"clean-key", 3}, topicSpec{"dlq", partitions})
	produce(t, addr, "in", 0, total, 100, 40) // every 40th malformed

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCrashProcessor$", "-test.count=1")
	cmd.Env = append(os.Environ(), envBroker+"="+addr, envGroup+"=g-crash")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the child processor: %v", err)
	}
	waitFor(t, 60*time.Second, "the child to be mid-stream", func() bool {
		return countRecords(t, addr, "clean-src") >= total/5
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("killing the child: %v", err)
	}
	_ = cmd.Wait()
	atKill := countRecords(t, addr, "clean-src")
	if atKill >= total*39/40 {
		t.Fatalf("the child finished (%d records out) before it was killed; the test proves nothing", atKill)
	}
	t.Logf("killed the child with %d of %d records out", atKill, total*39/40)

	r := start(t, crashConfig(addr, "g-crash"), stream.Config{}, withDropEmail()...)
	good, bad := total*39/40, total/40
	waitFor(t, 60*time.Second, "the restarted processor to finish", func() bool {
		return countRecords(t, addr, "clean-key") >= int64(good) && countRecords(t, addr, "clean-src") >= int64(good) && countRecords(t, addr, "dlq") >= int64(bad)
	})
	// Let a straggling duplicate, if any, land before counting.
	time.Sleep(300 * time.Millisecond)
	if err, _ := r.stop(t, 20*time.Second); err != nil {
		t.Fatalf("Run: %v", err)
	}

	inputs := inputRecords(t, addr, "in")
	dead := coverage(readTopic(t, addr, "dlq"))
	for name, maxDup := range map[string]int{"clean-src": 0, "clean-key": 50} {
		cov := coverage(readTopic(t, addr, name))
		dups := map[int32]int{}
		for _, in := range inputs {
			n := cov[in]
			if dead[in] > 0 {
				if n != 0 {
					t.Fatalf("%s: dead-lettered %v also on the output", name, in)
				}
				continue
			}
			if n == 0 {
				t.Fatalf("%s: input %v missing after the crash", name, in)
			}
			dups[in.partition] += n - 1
		}
		for p, d := range dups {
			if d > maxDup {
				t.Errorf("%s: %d duplicates from input partition %d, want at most %d", name, d, p, maxDup)
			}
		}
		t.Logf("%s: duplicates per input partition %v", name, dups)
	}
	nbad := 0
	for _, in := range inputs {
		switch dead[in] {
		case 0:
		case 1:
			nbad++
		default:
			t.Fatalf("dlq: %v dead-lettered %d times", in, dead[in])
		}
	}
	if nbad != bad {
		t.Errorf("dlq: %d dead letters, want %d", nbad, bad)
	}
}
