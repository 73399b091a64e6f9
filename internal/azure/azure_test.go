package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

func TestIsNotFound(t *testing.T) {
	nf := &azcore.ResponseError{StatusCode: http.StatusNotFound, ErrorCode: "ResourceNotFound"}
	if !IsNotFound(nf) || !IsNotFound(fmt.Errorf("wrapped: %w", nf)) {
		t.Fatal("404 response errors, wrapped or not, are not-found")
	}
	if IsNotFound(&azcore.ResponseError{StatusCode: 409}) || IsNotFound(errors.New("404")) {
		t.Fatal("only a 404 response error is not-found")
	}
	if ErrorCode(fmt.Errorf("x: %w", nf)) != "ResourceNotFound" {
		t.Fatal("ErrorCode must unwrap")
	}
}

func TestNormalizeLocation(t *testing.T) {
	for in, want := range map[string]string{"East US 2": "eastus2", " westeurope ": "westeurope", "UK South": "uksouth"} {
		if got := NormalizeLocation(in); got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}

func TestDescribeRedacts(t *testing.T) {
	msg := Describe("creating", "/x", errors.New("GET https://a.blob.core.windows.net/c/b?sp=r&sig=SECRETSECRETSECRET failed"))
	if strings.Contains(msg, "SECRETSECRETSECRET") || !strings.Contains(msg, "creating /x") {
		t.Fatalf("got %q", msg)
	}
}

// An ARM error body quotes links JSON-escaped ("\u0026sig=") inside the SDK's error text.
func TestDescribeRedactsResponseBody(t *testing.T) {
	sig := "S" + strconv.FormatInt(time.Now().UnixNano(), 36) + "%2F%3D"
	body, _ := json.Marshal(map[string]any{"error": map[string]string{
		"code":    "InvalidParameter",
		"message": "The blob https://a.blob.core.windows.net/c/b?sv=1&sr=b&sig=" + sig + "&sp=r is not readable.",
	}})
	req, _ := http.NewRequest(http.MethodPut, "https://management.azure.com/subscriptions/s/x?api-version=1", nil)
	resp := &http.Response{StatusCode: http.StatusBadRequest, Status: "400 Bad Request", Header: http.Header{},
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	err := runtime.NewResponseError(resp)
	if !strings.Contains(err.Error(), `\u0026sig=`) {
		t.Fatalf("the SDK no longer quotes the body JSON-escaped; adjust the test: %s", err)
	}
	msg := Describe("creating", "/x", err)
	if strings.Contains(msg, sig[:8]) || !strings.Contains(msg, "InvalidParameter") {
		t.Fatalf("got %q", msg)
	}
}

// A write that failed because its context ended (a timeout, an interrupt) is still read back.
func TestReadBackOutlivesTheWritesContext(t *testing.T) {
	type key struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "logger"))
	cancel()
	got, err := ReadBack(ctx, func(ctx context.Context) (string, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("the read back has no deadline")
		}
		v, _ := ctx.Value(key{}).(string)
		return v, ctx.Err()
	})
	if err != nil || got != "logger" {
		t.Fatalf("ReadBack on a canceled context: %q, %v", got, err)
	}
}
