-- Reference data: area kinds, signal categories, source partners, follow-up statuses and
-- location precisions, with Dutch and English labels.

INSERT INTO area_kind (code, label_nl, label_en) VALUES
    ('mainport',         'Mainport',          'Mainport'),
    ('bedrijventerrein', 'Bedrijventerrein',  'Business park'),
    ('buitengebied',     'Buitengebied',      'Rural outskirts'),
    ('postcode',         'Postcodegebied',    'Postcode area'),
    ('wijk',             'Wijk',              'District'),
    ('buurt',            'Buurt',             'Neighbourhood'),
    ('gemeente',         'Gemeente',          'Municipality'),
    ('custom',           'Eigen gebied',      'Custom area');

INSERT INTO category (code, label_nl, label_en, description_nl, description_en, sort_order) VALUES
    ('drugshandel',               'Drugshandel',                       'Drug trafficking',                    'Aanwijzingen voor handel in verdovende middelen.', 'Indications of drug dealing or trafficking.', 10),
    ('drugsproductie',            'Drugsproductie (labs)',             'Drug production (labs)',              'Synthetische drugslabs, opslag van precursoren.', 'Synthetic drug labs, precursor storage.', 20),
    ('hennepteelt',               'Hennepteelt',                       'Cannabis cultivation',                'Hennepkwekerijen en aanwijzingen daarvoor (stroomverbruik, geur).', 'Cannabis farms and indications of them (power use, smell).', 30),
    ('drugsafval',                'Drugsafval (dumpingen)',            'Drug waste (dumping)',                'Gedumpt drugsafval en vaten.', 'Dumped drug waste and barrels.', 40),
    ('witwassen',                 'Witwassen',                         'Money laundering',                    'Aanwijzingen voor het witwassen van crimineel geld.', 'Indications of money laundering.', 50),
    ('ondergronds_bankieren',     'Ondergronds bankieren',             'Underground banking',                 'Informele geldoverdracht buiten het bankwezen.', 'Informal value transfer outside the banking system.', 60),
    ('vastgoed',                  'Vastgoed',                          'Real estate',                         'Verdachte vastgoedtransacties en constructies.', 'Suspicious real-estate transactions and constructions.', 70),
    ('luxegoederen',              'Luxegoederen',                      'Luxury goods',                        'Contante aankopen van luxegoederen, verdachte handel.', 'Cash purchases of luxury goods, suspicious trade.', 80),
    ('misbruik_panden',           'Misbruik panden',                   'Misuse of premises',                  'Panden als dekmantel, leegstand met activiteit.', 'Premises used as a front, vacancy with activity.', 90),
    ('misbruik_ondernemingen',    'Misbruik ondernemingen',            'Misuse of businesses',                'Ondernemingen als dekmantel of katvanger-constructie.', 'Businesses used as a front.', 100),
    ('illegale_bewoning',         'Illegale bewoning',                 'Illegal occupancy',                   'Bewoning in strijd met bestemming of vergunning.', 'Occupancy in breach of zoning or permits.', 110),
    ('mensenhandel',              'Mensenhandel / arbeidsuitbuiting',  'Human trafficking / labour exploitation', 'Aanwijzingen voor mensenhandel of arbeidsuitbuiting.', 'Indications of human trafficking or labour exploitation.', 120),
    ('omg',                       'OMG (motorclubs)',                  'Outlaw motorcycle gangs',             'Activiteiten van outlaw motorcycle gangs.', 'Activities of outlaw motorcycle gangs.', 130),
    ('explosies',                 'Explosies / geweld tegen panden',   'Explosions / attacks on premises',    'Explosies, beschietingen en brandstichting bij panden.', 'Explosions, shootings and arson at premises.', 140),
    ('havenincident',             'Havenincident',                     'Port incident',                       'Uithalers, containermanipulatie, ongeautoriseerde toegang.', 'Extractors, container tampering, unauthorised access.', 150),
    ('handelsregister_mutatie',   'Handelsregister-mutatie',           'Trade register change',               'Opvallende wijzigingen in het Handelsregister.', 'Conspicuous changes in the trade register.', 160),
    ('burgermelding',             'Burgermelding',                     'Citizen report',                      'Melding van een bewoner of bezoeker over een locatie.', 'A resident''s or visitor''s report about a place.', 170),
    ('toezichtsbevinding',        'Toezichtsbevinding',                'Inspection finding',                  'Bevinding bij toezicht of inspectie.', 'Finding of a supervision visit or inspection.', 180);

INSERT INTO source_partner (code, label_nl, label_en, sort_order) VALUES
    ('gemeente',         'Gemeente',                            'Municipality',                      10),
    ('politie',          'Politie',                             'Police',                            20),
    ('om',               'Openbaar Ministerie',                 'Public Prosecution Service',        30),
    ('belastingdienst',  'Belastingdienst',                     'Tax Administration',                40),
    ('fiod',             'FIOD',                                'Fiscal Information and Investigation Service', 50),
    ('douane',           'Douane',                              'Customs',                           60),
    ('nla',              'Nederlandse Arbeidsinspectie',        'Netherlands Labour Authority',      70),
    ('kmar',             'Koninklijke Marechaussee',            'Royal Netherlands Marechaussee',    80),
    ('havenbedrijf',     'Havenbedrijf',                        'Port authority',                    90),
    ('private_partner',  'Private partner',                     'Private partner',                   100),
    ('kvk',              'Kamer van Koophandel',                'Chamber of Commerce',               110);

INSERT INTO followup_status (code, label_nl, label_en, sort_order) VALUES
    ('nieuw',                'Nieuw',                              'New',                          10),
    ('verkennen',            'Verkennen',                          'Exploring',                    20),
    ('informatie_delen',     'Informatie delen & analyseren',      'Sharing & analysing information', 30),
    ('uitvoeren',            'Uitvoeren',                          'Executing',                    40),
    ('evalueren',            'Evalueren',                          'Evaluating',                   50),
    ('afgesloten',           'Afgesloten',                         'Closed',                       60);

INSERT INTO location_precision (code, label_nl, label_en) VALUES
    ('object', 'Object (adres)',   'Object (address)'),
    ('pc6',    'Postcode (PC6)',   'Postcode (PC6)'),
    ('street', 'Straat',           'Street'),
    ('area',   'Gebied',           'Area');

INSERT INTO data_version (name) VALUES ('area'), ('signal'), ('camera'), ('overlay'), ('score');
