package assignment_test

import (
	"testing"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
