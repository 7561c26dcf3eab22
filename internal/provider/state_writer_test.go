package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// No test of the package runs while a usage schema and its state writers
// name different attributes: the test binary stops here, with the message
// naming each one.
func init() {
	if err := stateWriters().err; err != nil {
		panic("the usage schemas and their state writers differ; give each attribute that state holds a writer " +
			"(newObjectWriter's table at that place), or drop the writer of one the schema no longer has:\n" + err.Error())
	}
}

// writerBuilds are the builds stateWriters runs, by type name, for tests
// that build them against changed schemas.
var writerBuilds = map[string]struct {
	newDS func() datasource.DataSource
	build func(top objectAt)
}{
	"usage_account": {newAccountDataSource, func(top objectAt) { newObjectWriter(top, koreUsageWriters(top)) }},
	"usage_sim":     {newSimDataSource, func(top objectAt) { newObjectWriter(top, simWriters(top)) }},
	"usage_sims":    {newSimsDataSource, func(top objectAt) { newObjectWriter(top, simsWriters(top)) }},
	"usage_subscription": {newSubscriptionDataSource, func(top objectAt) {
		newObjectWriter(top, subscriptionWriters(top))
	}},
	"usage_subscriptions": {newSubscriptionsDataSource, func(top objectAt) {
		newObjectWriter(top, subscriptionsWriters(top))
	}},
}

func TestStateWritersMatchTheirSchemas(t *testing.T) {
	if err := stateWriters().err; err != nil {
		t.Fatal(err)
	}
	// Every data source that writes its own state has a writer here.
	for _, newDS := range (&usageProvider{}).DataSources(context.Background()) {
		if _, ok := newDS().(stateWritingDataSource); !ok {
			continue
		}
		var errs []error
		top := topOf(newDS, &errs)
		if _, ok := writerBuilds[top.source]; !ok {
			t.Errorf("%s writes its own state, but writerBuilds has no build of it", top.source)
		}
	}
}

// writtenObjects are the paths of the objects state writes in attrs (those
// of Computed attributes, all the way down), "" for attrs itself.
func writtenObjects(attrs map[string]schema.Attribute, path string) []string {
	paths := []string{path}
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a := attrs[name]
		if !a.IsComputed() {
			continue // copied from the configuration as a whole
		}
		if nested := nestedAttributes(a); nested != nil {
			paths = append(paths, writtenObjects(nested, joinPath(path, name))...)
		}
	}
	return paths
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func nestedAttributes(a schema.Attribute) map[string]schema.Attribute {
	switch a := a.(type) {
	case schema.SingleNestedAttribute:
		return a.Attributes
	case schema.ListNestedAttribute:
		return a.NestedObject.Attributes
	}
	return nil
}

// cloneAttributes copies attrs and every nested object's attributes, so
// that a test can change one without touching another schema.
func cloneAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		switch a := a.(type) {
		case schema.SingleNestedAttribute:
			a.Attributes = cloneAttributes(a.Attributes)
			out[name] = a
		case schema.ListNestedAttribute:
			a.NestedObject.Attributes = cloneAttributes(a.NestedObject.Attributes)
			out[name] = a
		default:
			out[name] = a
		}
	}
	return out
}

// objectAtPath is the attributes of the object at path in attrs.
func objectAtPath(t *testing.T, attrs map[string]schema.Attribute, path string) map[string]schema.Attribute {
	t.Helper()
	if path == "" {
		return attrs
	}
	for _, name := range strings.Split(path, ".") {
		attrs = nestedAttributes(attrs[name])
		if attrs == nil {
			t.Fatalf("no object at %s", path)
		}
	}
	return attrs
}

// buildWith runs the build of source against its schema as change leaves
// it, answering the failures.
func buildWith(t *testing.T, source string, change func(attrs map[string]schema.Attribute)) []string {
	t.Helper()
	b := writerBuilds[source]
	var errs []error
	top := topOf(b.newDS, &errs)
	top.attrs = cloneAttributes(top.attrs)
	change(top.attrs)
	b.build(top)
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return msgs
}

// TestStateWriterBuildNamesAnAddedAttribute adds a computed attribute to
// every object each usage data source writes, and one to the top level:
// each time, the build fails naming it, and nothing else.
func TestStateWriterBuildNamesAnAddedAttribute(t *testing.T) {
	for source, b := range writerBuilds {
		var errs []error
		for _, path := range writtenObjects(topOf(b.newDS, &errs).attrs, "") {
			added := joinPath(path, "activated_at")
			t.Run(source+"/"+added, func(t *testing.T) {
				got := buildWith(t, source, func(attrs map[string]schema.Attribute) {
					objectAtPath(t, attrs, path)["activated_at"] = schema.StringAttribute{Computed: true}
				})
				want := []string{source + ": " + added + " has no writer"}
				if !slices.Equal(got, want) {
					t.Fatalf("the build failed with %q, want %q", got, want)
				}
			})
		}
	}
}

// TestStateWriterBuildNamesARemovedAttribute removes each attribute state
// writes, one at a time: the build fails naming the writer left over. An
// argument that is not Computed has none: state copies it from the
// configuration.
func TestStateWriterBuildNamesARemovedAttribute(t *testing.T) {
	for source, b := range writerBuilds {
		var errs []error
		top := topOf(b.newDS, &errs).attrs
		for _, path := range writtenObjects(top, "") {
			for _, name := range slices.Sorted(maps.Keys(objectAtPath(t, top, path))) {
				removed := joinPath(path, name)
				t.Run(source+"/"+removed, func(t *testing.T) {
					var copied bool
					got := buildWith(t, source, func(attrs map[string]schema.Attribute) {
						object := objectAtPath(t, attrs, path)
						copied = path == "" && !object[name].IsComputed()
						delete(object, name)
					})
					want := []string{source + ": a writer for " + removed + ", which the schema does not have"}
					if copied {
						want = []string{}
					}
					if !slices.Equal(got, want) {
						t.Fatalf("the build failed with %q, want %q", got, want)
					}
				})
			}
		}
	}
}

// TestStateWriterBuildRefusesAWriterForAnArgument: an argument that is not
// Computed is the configuration's, so a writer for it is a mistake.
func TestStateWriterBuildRefusesAWriterForAnArgument(t *testing.T) {
	var errs []error
	top := topOf(newAccountDataSource, &errs)
	table := koreUsageWriters(top)
	table["window"] = func(w *stateWriter, _ *koreState) { w.str("last_7_days") }
	newObjectWriter(top, table)
	want := "usage_account: a writer for window, which is an argument (not Computed): state holds it as configured"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("the build failed with %v, want %q", errs, want)
	}
}

// TestStateWriterBuildRefusesAnObjectWriterForAValue: a nested writer for
// an attribute the schema has as a plain value fails the build.
func TestStateWriterBuildRefusesAnObjectWriterForAValue(t *testing.T) {
	got := buildWith(t, "usage_sims", func(attrs map[string]schema.Attribute) {
		objectAtPath(t, attrs, "sims")["total"] = schema.StringAttribute{Computed: true}
	})
	want := []string{"usage_sims: sims.total is written as an object, but the schema has a schema.StringAttribute"}
	if !slices.Equal(got, want) {
		t.Fatalf("the build failed with %q, want %q", got, want)
	}
}

// TestStateWriterWithoutAWriterFailsTheRead: a writer built anyway (the
// provider binary does not stop on a failed build) writes no state: the
// read fails with the build's message.
func TestStateWriterWithoutAWriterFailsTheRead(t *testing.T) {
	ctx := context.Background()
	var errs []error
	top := topOf(newAccountDataSource, &errs)
	table := koreUsageWriters(top)
	delete(table, "complete")
	writer := newObjectWriter(top, table)
	typ, ok := schema.Schema{Attributes: top.attrs}.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema's type is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	config := tfsdk.Config{Raw: tftypes.NewValue(typ, vals)}
	_, err := writeState(ctx, config, writer, &koreState{total: &koreTotal{}}, 0)
	if want := "usage_account: complete has no writer"; err == nil || err.Error() != want {
		t.Fatalf("the read answered %v, want %q", err, want)
	}
}
