// Word lists the fake records are drawn from. Plain, international, and free of real people or companies.

export const FIRST_NAMES = [
  'Ada', 'Amara', 'Ana', 'Ben', 'Chen', 'Chloé', 'Dara', 'David', 'Elif', 'Emma', 'Farah', 'Felix', 'Grace', 'Hana',
  'Hugo', 'Ines', 'Ivan', 'Jonas', 'Julia', 'Kai', 'Kofi', 'Lea', 'Leon', 'Lina', 'Luca', 'Maya', 'Mia', 'Milan',
  'Nia', 'Noah', 'Nora', 'Omar', 'Oskar', 'Paula', 'Priya', 'Rafael', 'Rosa', 'Sami', 'Sara', 'Sofia', 'Tariq',
  'Theo', 'Uma', 'Vera', 'Wen', 'Yara', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Adams', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ito', 'Jansen', 'Kowalski',
  'Larsen', 'Müller', 'Nakamura', "O'Brien", 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Silva', 'Tanaka',
  'Novak', 'Varga', 'Wagner', 'Weber', 'Yilmaz', 'Zhang', 'van Dijk', 'de Vries',
] as const;

export const COMPANIES = [
  'Northwind Traders', 'Blue Harbor GmbH', 'Lumen & Co', 'Kestrel Labs', 'Granite Systems', 'Orbit Foods',
  'Pine Street Studio', 'Meridian Health', 'Copperleaf Ltd', 'Atlas Freight', 'Solstice Energy', 'Riverbend Books',
] as const;

export const JOB_TITLES = [
  'Head of Operations', 'Buyer', 'CTO', 'Office Manager', 'Marketing Lead', 'Founder', 'Procurement Specialist',
  'Customer Success Manager', 'Developer', 'Finance Director',
] as const;

/** City, region (or null), postal code, ISO country code, phone prefix. */
export const CITIES = [
  ['Berlin', null, '10115', 'DE', '+49 30'],
  ['Hamburg', null, '20095', 'DE', '+49 40'],
  ['Paris', null, '75002', 'FR', '+33 1'],
  ['Lyon', null, '69001', 'FR', '+33 4'],
  ['Amsterdam', null, '1012 AB', 'NL', '+31 20'],
  ['Madrid', null, '28013', 'ES', '+34 91'],
  ['Milano', 'MI', '20121', 'IT', '+39 02'],
  ['Wien', null, '1010', 'AT', '+43 1'],
  ['London', null, 'EC1A 1BB', 'GB', '+44 20'],
  ['Dublin', null, 'D02 X285', 'IE', '+353 1'],
  ['New York', 'NY', '10001', 'US', '+1 212'],
  ['Austin', 'TX', '73301', 'US', '+1 512'],
  ['Toronto', 'ON', 'M5H 2N2', 'CA', '+1 416'],
  ['Tokyo', '13', '100-0001', 'JP', '+81 3'],
] as const;

export const STREETS = ['Main Street', 'Hauptstraße', 'Rue de la Paix', 'Calle Mayor', 'Keizersgracht', 'Via Roma', 'High Street', 'Market Square'] as const;

export const PRODUCT_ADJECTIVES = ['Classic', 'Organic', 'Everyday', 'Vintage', 'Ultralight', 'Recycled', 'Handmade', 'Compact', 'Premium', 'Cozy'] as const;

/** Product noun, SKU prefix, product type. */
export const PRODUCT_NOUNS = [
  ['Mug', 'MUG', 'Kitchen'],
  ['T-Shirt', 'TEE', 'Apparel'],
  ['Hoodie', 'HOOD', 'Apparel'],
  ['Backpack', 'BAG', 'Bags'],
  ['Notebook', 'NOTE', 'Stationery'],
  ['Water Bottle', 'BOTL', 'Kitchen'],
  ['Candle', 'CNDL', 'Home'],
  ['Blanket', 'BLNK', 'Home'],
  ['Sneakers', 'SNKR', 'Footwear'],
  ['Tote Bag', 'TOTE', 'Bags'],
  ['Desk Lamp', 'LAMP', 'Home'],
  ['Socks', 'SOCK', 'Apparel'],
] as const;

export const VENDORS = ['Acme Goods', 'Fjord Supply', 'Lark & Wren', 'Studio Nord'] as const;
export const COLORS = [['Black', 'BLK'], ['White', 'WHT'], ['Navy', 'NVY'], ['Olive', 'OLV'], ['Red', 'RED']] as const;
export const SIZES = [['S', 'S'], ['M', 'M'], ['L', 'L'], ['XL', 'XL']] as const;
export const PRODUCT_TAGS = ['bestseller', 'new', 'sale', 'eco', 'gift', 'limited'] as const;
export const CUSTOMER_TAGS = ['vip', 'wholesale', 'newsletter', 'returning', 'b2b'] as const;
export const LOCATION_NAMES = ['Main Warehouse', 'Berlin Store', 'Paris Store', 'Online Fulfilment', 'London Store', 'Returns Center'] as const;
export const LOCALES = ['en', 'de', 'fr', 'nl', 'es', 'it', 'ja'] as const;

export const PROJECTS = [
  ['WEB', 'Website'],
  ['OPS', 'Operations'],
  ['API', 'Public API'],
  ['MOB', 'Mobile App'],
  ['DATA', 'Data Platform'],
] as const;

export const TICKET_SUBJECTS = ['Checkout', 'Login', 'Search', 'Invoice export', 'Password reset', 'Dashboard', 'Webhook delivery', 'CSV import', 'Shipping rates', 'Product images', 'Order emails', 'API rate limits'] as const;
export const TICKET_PROBLEMS = ['fails for guest users', 'is slow on mobile', 'shows wrong totals', 'times out after 30 s', 'needs pagination', 'breaks with emoji', 'should support SSO', 'returns 500 on retry', 'ignores time zones', 'duplicates records'] as const;
export const TICKET_LABELS = ['frontend', 'backend', 'customer', 'regression', 'security', 'docs', 'performance'] as const;

export const SENTENCES = [
  'Steps to reproduce are in the attached notes.',
  'Happens about once a day, always in the morning.',
  'A customer reported this through support.',
  'We saw the same thing last quarter.',
  'Logs point at the retry logic.',
  'Workaround: refresh the page and try again.',
  'Only affects accounts created before the migration.',
  'Needs a decision from product first.',
  'Could be related to the CDN change.',
  'The fix should come with a regression test.',
] as const;

export const TIMEZONES = ['Europe/Berlin', 'Europe/Paris', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'] as const;
export const CHANNEL_NAMES = ['general', 'random', 'engineering', 'support', 'sales', 'incidents', 'design', 'releases', 'marketing', 'ops-alerts'] as const;
