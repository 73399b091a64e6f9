package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
)

// Azurite's well-known development account.
const (
	devAccount    = "devstoreaccount1"
	devKey        = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
	seedContainer = "packages"
)

// storage is a running Azurite blob service.
type storage struct {
	cmd      *exec.Cmd
	out      *lineLogger
	endpoint string // http://127.0.0.1:PORT/devstoreaccount1
	host     string // 127.0.0.1:PORT
	done     chan struct{}
	stopOnce sync.Once
	client   *http.Client
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		_ = l.Close()
		return 0, fmt.Errorf("emulator: unexpected listener address %v", l.Addr())
	}
	if err := l.Close(); err != nil {
		return 0, err
	}
	return addr.Port, nil
}

// startAzurite starts azurite-blob on a free loopback port and waits until it serves.
func startAzurite(ctx context.Context, bin, dir string, logf func(string, ...any)) (*storage, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("emulator: Azurite binary %q: %w (run `eval \"$(tools/install-tools.sh --env)\"`)", bin, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := runAzurite(ctx, bin, dir, port, logf)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

type lineLogger struct {
	logf   func(string, ...any)
	closed chan struct{} // closed when Azurite reports it has shut down (it does not exit by itself)
	once   sync.Once
	mu     sync.Mutex
	buf    bytes.Buffer
	tail   []string
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for {
		line, err := l.buf.ReadString('\n')
		if err != nil {
			l.buf.WriteString(line)
			break
		}
		line = strings.TrimRight(line, "\n")
		l.tail = append(l.tail, line)
		if len(l.tail) > 20 {
			l.tail = l.tail[1:]
		}
		l.logf("azurite: %s", line)
		if strings.Contains(line, "successfully closed") {
			l.once.Do(func() { close(l.closed) })
		}
	}
	return len(p), nil
}

func runAzurite(ctx context.Context, bin, dir string, port int, logf func(string, ...any)) (*storage, error) {
	cmd := exec.Command(bin, "--blobHost", "127.0.0.1", "--blobPort", strconv.Itoa(port), "--location", dir, "--skipApiVersionCheck", "--loose", "--silent")
	out := &lineLogger{logf: logf, closed: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("emulator: starting Azurite: %w", err)
	}
	host := fmt.Sprintf("127.0.0.1:%d", port)
	s := &storage{out: out, cmd: cmd, host: host, endpoint: "http://" + host + "/" + devAccount, done: make(chan struct{}), client: &http.Client{Timeout: 30 * time.Second}}
	go func() { _ = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-s.done:
			out.mu.Lock()
			tail := strings.Join(out.tail, "\n")
			out.mu.Unlock()
			return nil, fmt.Errorf("emulator: Azurite exited during start-up: %s", tail)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		default:
		}
		resp, err := s.client.Get(s.endpoint + "?comp=list")
		if err == nil {
			_ = resp.Body.Close()
			logf("emulator: Azurite serving on %s", host)
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("emulator: Azurite did not serve on %s within 60s: %v", host, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop terminates Azurite: SIGTERM to its process group makes it flush and close its
// databases, but node keeps running, so SIGKILL follows once it reports "successfully closed"
// (or after 5s).
func (s *storage) stop() {
	s.stopOnce.Do(func() {
		if s.cmd.Process == nil {
			return
		}
		pgid := s.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.done:
			return
		case <-s.out.closed:
		case <-time.After(5 * time.Second):
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	})
}

// seed creates the packages container and the seed blobs and returns their read SAS URLs.
func (s *storage) seed(ctx context.Context) (seedBlobs, error) {
	cred, err := azblob.NewSharedKeyCredential(devAccount, devKey)
	if err != nil {
		return seedBlobs{}, err
	}
	svc, err := azblob.NewClientWithSharedKeyCredential(s.endpoint+"/", cred, nil)
	if err != nil {
		return seedBlobs{}, err
	}
	if _, err := svc.CreateContainer(ctx, seedContainer, nil); err != nil && !bloberror.HasCode(err, bloberror.ContainerAlreadyExists) {
		return seedBlobs{}, fmt.Errorf("emulator: seeding container: %w", err)
	}
	cc := svc.ServiceClient().NewContainerClient(seedContainer)
	page := func(name string, size int64, content []byte) error {
		pb := cc.NewPageBlobClient(name)
		if props, err := pb.GetProperties(ctx, nil); err == nil && props.ContentLength != nil && *props.ContentLength == size {
			return nil
		}
		if _, err := pb.Create(ctx, size, nil); err != nil {
			return err
		}
		if len(content) > 0 {
			_, err := pb.UploadPages(ctx, nopCloser{bytes.NewReader(content)}, blob.HTTPRange{Offset: 0, Count: int64(len(content))}, nil)
			return err
		}
		return nil
	}
	pad := func(b []byte, fill byte) []byte {
		for len(b)%512 != 0 {
			b = append(b, fill)
		}
		return b
	}
	pkg := pad([]byte("#!/bin/sh\n# azvmapps emulator sample package\necho hello from app.pagebin\n"), '\n')
	if err := page("app.pagebin", int64(len(pkg)), pkg); err != nil {
		return seedBlobs{}, fmt.Errorf("emulator: seeding app.pagebin: %w", err)
	}
	if err := page("huge.pagebin", 1<<30+512, nil); err != nil {
		return seedBlobs{}, fmt.Errorf("emulator: seeding huge.pagebin: %w", err)
	}
	cfg := pad([]byte(`{"greeting": "hello from app-config.json"}`), ' ')
	if err := page("app-config.json", int64(len(cfg)), cfg); err != nil {
		return seedBlobs{}, fmt.Errorf("emulator: seeding app-config.json: %w", err)
	}
	bb := cc.NewBlockBlobClient("app.blockbin")
	if _, err := bb.UploadBuffer(ctx, []byte("#!/bin/sh\necho hello from app.blockbin\n"), &blockblob.UploadBufferOptions{}); err != nil {
		return seedBlobs{}, fmt.Errorf("emulator: seeding app.blockbin: %w", err)
	}
	sasURL := s.blobSAS
	var out seedBlobs
	for _, x := range []struct {
		dst  *string
		name string
	}{{&out.Page, "app.pagebin"}, {&out.Block, "app.blockbin"}, {&out.Huge, "huge.pagebin"}, {&out.Config, "app-config.json"}} {
		u, err := sasURL(x.name)
		if err != nil {
			return seedBlobs{}, err
		}
		*x.dst = u
	}
	return out, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// checkBlob HEADs a package or configuration link and applies the service's rules.
func (e *Emulator) checkBlob(link, target string) *armError {
	s := e.storage
	if s == nil {
		return nil
	}
	u, err := url.Parse(link)
	if err != nil {
		return badParam(target, fmt.Sprintf("Source uri '%s' must be an absolute uri.", redactURL(link)))
	}
	safe := redactURL(link)
	ours := strings.EqualFold(u.Host, s.host) ||
		(strings.EqualFold(u.Hostname(), "localhost") && u.Port() == strings.Split(s.host, ":")[1])
	if !ours {
		return badParam(target, fmt.Sprintf("Unable to access source uri '%s'. The azvmapps emulator can read packages only from its Azurite endpoint %s.", safe, s.endpoint))
	}
	req, _ := http.NewRequest(http.MethodHead, link, nil)
	req.Header.Set("x-ms-version", "2025-01-05")
	resp, err := s.client.Do(req)
	if err != nil {
		return badParam(target, fmt.Sprintf("Unable to access source uri '%s': %v", safe, errors.Unwrap(err)))
	}
	_ = resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
		return badParam(target, fmt.Sprintf("The SAS isn't valid for source uri %s.", safe))
	case resp.StatusCode == http.StatusNotFound:
		return badParam(target, fmt.Sprintf("The blob doesn't exist at source uri %s. Please provide a valid and accessible source uri.", safe))
	case resp.StatusCode >= 300:
		return badParam(target, fmt.Sprintf("Unable to access source uri %s (HTTP %d).", safe, resp.StatusCode))
	}
	bt := resp.Header.Get("x-ms-blob-type")
	allowed := e.limits.AllowedBlobTypes
	if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, bt) }) {
		return badParam(target, fmt.Sprintf("The blob type '%s' of source uri %s isn't supported. %s", bt, safe, blobTypesSentence(allowed)))
	}
	if size := resp.ContentLength; size > e.limits.MaxPackageSizeBytes {
		return badParam(target, fmt.Sprintf("The size of the blob at source uri %s is %d bytes, which exceeds the maximum blob size allowed of '%s'.", safe, size, humanSize(e.limits.MaxPackageSizeBytes)))
	}
	return nil
}

func blobTypesSentence(allowed []string) string {
	var words []string
	for _, a := range allowed {
		words = append(words, strings.ToLower(strings.TrimSuffix(a, "Blob"))+" blobs")
	}
	return "Only " + strings.Join(words, " and ") + " are supported."
}

func humanSize(n int64) string {
	switch {
	case n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// blobSAS returns a read SAS URL (one year) for a blob of the packages container.
func (s *storage) blobSAS(name string) (string, error) {
	cred, err := azblob.NewSharedKeyCredential(devAccount, devKey)
	if err != nil {
		return "", err
	}
	qp, err := sas.BlobSignatureValues{
		Protocol:      sas.ProtocolHTTPSandHTTP,
		StartTime:     time.Now().Add(-time.Hour).UTC(),
		ExpiryTime:    time.Now().AddDate(1, 0, 0).UTC(),
		Permissions:   to.Ptr(sas.BlobPermissions{Read: true}).String(),
		ContainerName: seedContainer,
		BlobName:      name,
	}.SignWithSharedKey(cred)
	if err != nil {
		return "", err
	}
	return s.endpoint + "/" + seedContainer + "/" + name + "?" + qp.Encode(), nil
}
