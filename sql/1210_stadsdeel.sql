-- Amsterdam (and other large municipalities) group their wijken into stadsdelen: a level
-- between wijk and gemeente, derived from the buurten by the boundary importer.
INSERT INTO area_kind (code, label_nl, label_en) VALUES
    ('stadsdeel', 'Stadsdeel', 'City district')
ON CONFLICT (code) DO NOTHING;
