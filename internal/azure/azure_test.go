package azure

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
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

func TestParseTypedID(t *testing.T) {
	const format = "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}"
	if _, err := ParseTypedID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g", "Microsoft.Compute/galleries", format); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "galleries/g", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/a"} {
		_, err := ParseTypedID(bad, "Microsoft.Compute/galleries", format)
		if err == nil || !strings.Contains(err.Error(), format) {
			t.Errorf("%q: want an error showing the format, got %v", bad, err)
		}
	}
}
