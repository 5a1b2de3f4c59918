package cli

import (
	"context"
	"fmt"
	"strings"
)

// sourceTag runs "source tag ID TAG... [--remove]": tags are added (or
// removed) one argument each, and a comma inside one splits it too, as in
// "quote --tags". With no tags it prints the source's tags.
func sourceTag(ctx context.Context, e *Env, c *call, args []string) error {
	if len(args) == 0 {
		return usageError("source tag takes the source's id and the tags to add (or, with --remove, to remove)")
	}
	id := args[0]
	var tags []string
	for _, a := range args[1:] {
		tags = append(tags, splitTags(a)...)
	}
	if len(args) > 1 && len(tags) == 0 {
		return usageError("name at least one tag that is not empty")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	d, err := p.Store.Document(ctx, id)
	if err != nil {
		return err
	}
	if len(tags) > 0 {
		add, remove := tags, []string(nil)
		if c.flagValue("remove") == "true" {
			add, remove = nil, tags
		}
		if d, err = p.TagSource(ctx, id, add, remove); err != nil {
			return err
		}
	}
	if c.json {
		return writeJSON(e.Stdout, toJSON(d, false))
	}
	if len(d.Tags) == 0 {
		fmt.Fprintf(e.Stdout, "%q has no tags.\n", d.Title)
		return nil
	}
	fmt.Fprintf(e.Stdout, "%q is tagged #%s\n", d.Title, strings.Join(d.Tags, " #"))
	return nil
}
