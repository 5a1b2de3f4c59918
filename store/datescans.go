package store

import (
	"context"
	"fmt"
)

// DateScan is what the timeline found in one document's text, encoded by
// its caller (Dates is "" when the text mentions no date), and the SHA256
// of the document whose text was scanned.
type DateScan struct {
	DocID, SHA256, Dates string
}

// Unscanned returns the id and SHA256 of every document whose text has no
// DateScan for its current version.
func (s *Store) Unscanned(ctx context.Context) ([]DateScan, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT d.id, d.sha256 FROM documents d
		WHERE NOT EXISTS (SELECT 1 FROM date_scans s WHERE s.doc_id = d.id AND s.sha256 = d.sha256)`)
	if err != nil {
		return nil, fmt.Errorf("store: listing unscanned texts: %w", err)
	}
	defer rows.Close()
	var out []DateScan
	for rows.Next() {
		var d DateScan
		if err := rows.Scan(&d.DocID, &d.SHA256); err != nil {
			return nil, fmt.Errorf("store: listing unscanned texts: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DateScans returns the scans of every document whose current text has
// been scanned and mentions any date.
func (s *Store) DateScans(ctx context.Context) ([]DateScan, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.doc_id, s.sha256, s.dates FROM date_scans s
		JOIN documents d ON d.id = s.doc_id AND d.sha256 = s.sha256 WHERE s.dates <> ''`)
	if err != nil {
		return nil, fmt.Errorf("store: reading scanned dates: %w", err)
	}
	defer rows.Close()
	var out []DateScan
	for rows.Next() {
		var d DateScan
		if err := rows.Scan(&d.DocID, &d.SHA256, &d.Dates); err != nil {
			return nil, fmt.Errorf("store: reading scanned dates: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PutDateScans records scans in one transaction, replacing older ones of
// the same documents.
func (s *Store) PutDateScans(ctx context.Context, scans []DateScan) error {
	if len(scans) == 0 {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: saving scanned dates: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO date_scans (doc_id, sha256, dates) VALUES (?, ?, ?)
		ON CONFLICT (doc_id) DO UPDATE SET sha256 = excluded.sha256, dates = excluded.dates`)
	if err != nil {
		return fmt.Errorf("store: saving scanned dates: %w", err)
	}
	defer st.Close()
	for _, d := range scans {
		if _, err := st.ExecContext(ctx, d.DocID, d.SHA256, d.Dates); err != nil {
			return fmt.Errorf("store: saving scanned dates: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: saving scanned dates: %w", err)
	}
	return nil
}
