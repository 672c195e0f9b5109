package runner

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// dirFiles is an in-memory copy of the configuration files of one
// directory. A generation is compiled from such a copy, not from the
// directory, so that the digest its version carries is exactly the content
// it was compiled from, whatever changes on disk meanwhile. It implements
// fs.ReadDirFS and fs.ReadFileFS over a flat directory ".".
type dirFiles struct {
	names []string // sorted
	data  map[string][]byte
}

// configMapData is the symlink through which kubelet publishes a ConfigMap
// or Secret volume's files: an update writes a new timestamped directory
// and swaps this link to it, so the files change all at once.
const configMapData = "..data"

// readConfigDir reads the regular files of dir (following symlinks, not
// recursing) whose names keep accepts. When dir is a ConfigMap volume and
// its ..data link is swapped while the files are read, the read is
// repeated, so that the copy never mixes two versions of the volume.
func readConfigDir(dir string, keep func(name string) bool) (*dirFiles, error) {
	link := filepath.Join(dir, configMapData)
	for attempt := 1; ; attempt++ {
		before, _ := os.Readlink(link)
		f, err := readDirOnce(dir, keep)
		after, _ := os.Readlink(link)
		if before == after || attempt == 3 {
			return f, err
		}
	}
}

func readDirOnce(dir string, keep func(string) bool) (*dirFiles, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	f := &dirFiles{data: map[string][]byte{}}
	for _, e := range entries {
		name := e.Name()
		if !keep(name) {
			continue
		}
		p := filepath.Join(dir, name)
		st, err := os.Stat(p) // follows the symlinks of a ConfigMap volume
		if errors.Is(err, fs.ErrNotExist) {
			// Removed since listed, or a link kubelet has yet to remove
			// after a swap.
			continue
		}
		if err != nil {
			return nil, err
		}
		if !st.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		f.names = append(f.names, name)
		f.data[name] = data
	}
	slices.Sort(f.names)
	return f, nil
}

// digest is a SHA-256 over the names and contents of the files.
func (f *dirFiles) digest() [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	for _, name := range f.names {
		binary.BigEndian.PutUint64(n[:], uint64(len(name)))
		h.Write(n[:])
		io.WriteString(h, name)
		binary.BigEndian.PutUint64(n[:], uint64(len(f.data[name])))
		h.Write(n[:])
		h.Write(f.data[name])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// Open opens "." or one of the files.
func (f *dirFiles) Open(name string) (fs.File, error) {
	if name == "." {
		return &memDir{f: f}, nil
	}
	data, ok := f.data[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{info: memInfo{name: name, size: int64(len(data))}, r: bytes.NewReader(data)}, nil
}

// ReadDir lists "." in name order.
func (f *dirFiles) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, len(f.names))
	for i, n := range f.names {
		out[i] = fs.FileInfoToDirEntry(memInfo{name: n, size: int64(len(f.data[n]))})
	}
	return out, nil
}

// ReadFile returns a copy of a file's content.
func (f *dirFiles) ReadFile(name string) ([]byte, error) {
	data, ok := f.data[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return bytes.Clone(data), nil
}

// memInfo describes a file or the directory of a dirFiles.
type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	info memInfo
	r    *bytes.Reader
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m.info, nil }
func (m *memFile) Read(p []byte) (int, error) { return m.r.Read(p) }
func (m *memFile) Close() error               { return nil }

type memDir struct {
	f    *dirFiles
	read int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return memInfo{name: ".", dir: true}, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: errors.New("is a directory")}
}
func (d *memDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	all, _ := d.f.ReadDir(".")
	rest := all[d.read:]
	if n > 0 {
		if len(rest) == 0 {
			return nil, io.EOF
		}
		rest = rest[:min(n, len(rest))]
	}
	d.read += len(rest)
	return rest, nil
}

// ruleFile and schemaFile say which files of the rules and schemas
// directories are read: those the loaders take.
func ruleFile(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".yaml" || ext == ".yml"
}

func schemaFile(name string) bool { return filepath.Ext(name) == ".json" }

// errNoFiles wraps a directory read error with the configuration key.
func errNoFiles(key, dir string, err error) error {
	return fmt.Errorf("%s: reading %s: %w", key, dir, err)
}
