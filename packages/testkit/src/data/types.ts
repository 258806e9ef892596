// The native records of the fake APIs, named and shaped like the SaaS APIs they imitate: commerce like Shopify,
// contacts like HubSpot, tickets like Jira/Zendesk, workspace members and channels like Slack. Field names are
// snake_case; money is a decimal string; timestamps are ISO 8601 UTC (2026-01-15T08:31:07Z); `null` means "no
// data" and is never replaced by 0 or "".

export type Id = number | string;

export interface Address {
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  zip: string;
  country_code: string;
  phone: string | null;
}

export interface CustomerAddress extends Address {
  id: number;
  customer_id: number;
  default: boolean;
}

export interface Variant {
  id: number;
  product_id: number;
  title: string;
  option1: string | null;
  sku: string;
  /** Decimal string in `currency`: "12.50". */
  price: string;
  compare_at_price: string | null;
  currency: string;
  position: number;
  inventory_item_id: number;
  /** `null`: stock is not tracked for this variant, so its stock levels are unknown (null). */
  inventory_management: 'shopify' | null;
  barcode: string | null;
  grams: number;
  requires_shipping: boolean;
  taxable: boolean;
  created_at: string;
  updated_at: string;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  body_html: string | null;
  vendor: string;
  product_type: string;
  status: 'active' | 'draft' | 'archived';
  /** Comma-separated, as Shopify sends them. */
  tags: string;
  options: { name: string; values: string[] }[];
  variants: Variant[];
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Customer {
  id: number;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  state: 'enabled' | 'disabled' | 'invited' | 'declined';
  verified_email: boolean;
  accepts_marketing: boolean;
  tax_exempt: boolean;
  tags: string;
  note: string | null;
  currency: string;
  locale: string | null;
  orders_count: number;
  /** Sum of the customer's orders in `currency` (orders in other currencies are left out). */
  total_spent: string;
  addresses: CustomerAddress[];
  default_address: CustomerAddress | null;
  created_at: string;
  updated_at: string;
}

/** Generated lines always name their product, variant and SKU; lines written through the API may not. */
export interface LineItem {
  id: number;
  product_id: number | null;
  variant_id: number | null;
  sku: string | null;
  title: string;
  variant_title: string | null;
  quantity: number;
  /** Unit price in the order's currency. */
  price: string;
  total_discount: string;
  tax: string;
  taxable: boolean;
}

export type FinancialStatus = 'pending' | 'authorized' | 'paid' | 'partially_refunded' | 'refunded' | 'voided';

export interface Order {
  id: number;
  /** Display name: "#1001". */
  name: string;
  order_number: number;
  email: string | null;
  /** `null` for guest checkouts. */
  customer_id: number | null;
  currency: string;
  status: 'open' | 'closed' | 'cancelled';
  financial_status: FinancialStatus;
  fulfillment_status: 'fulfilled' | 'partial' | null;
  /** Lines after discounts, before tax and shipping. */
  subtotal_price: string;
  total_discounts: string;
  total_tax: string;
  total_shipping: string;
  /** subtotal_price + total_tax + total_shipping. */
  total_price: string;
  /** Tax rate as a decimal string: "0.20". */
  tax_rate: string;
  line_items: LineItem[];
  shipping_address: Address | null;
  billing_address: Address | null;
  location_id: number | null;
  /**
   * The order's id in the system it came from, for orders written by a sync; unique when set. Null on generated
   * orders.
   */
  source_identifier: string | null;
  tags: string;
  note: string | null;
  /** When the order was placed: generated and created orders always have it; a write may clear it. */
  processed_at: string | null;
  cancelled_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Location {
  id: number;
  name: string;
  address1: string;
  city: string;
  zip: string;
  country_code: string;
  active: boolean;
  fulfills_online_orders: boolean;
  created_at: string;
  updated_at: string;
}

/** Stock of one SKU at one location. `null` quantities are unknown (not tracked there), `0` is a real zero. */
export interface StockLevel {
  /** `<inventory_item_id>:<location_id>`. */
  id: string;
  inventory_item_id: number;
  sku: string;
  product_id: number;
  variant_id: number;
  location_id: number;
  available: number | null;
  on_hand: number | null;
  committed: number | null;
  incoming: number | null;
  updated_at: string;
}

export type LifecycleStage = 'subscriber' | 'lead' | 'marketingqualifiedlead' | 'salesqualifiedlead' | 'opportunity' | 'customer' | 'evangelist';

export interface Contact {
  /** HubSpot-style string id. */
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  company: string | null;
  job_title: string | null;
  lifecycle_stage: LifecycleStage | null;
  /** A workspace user id (`users`). */
  owner_id: string | null;
  city: string | null;
  country: string | null;
  created_at: string;
  updated_at: string;
}

export interface Project {
  id: number;
  key: string;
  name: string;
  /** owner/name of the repository its issues appear under on the GitHub-like route. */
  repository: string;
  created_at: string;
  updated_at: string;
}

export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';
export type TicketPriority = 'lowest' | 'low' | 'medium' | 'high' | 'highest';
export type TicketType = 'bug' | 'task' | 'story' | 'epic' | 'subtask';

export interface Ticket {
  id: number;
  /** Jira-style key: WEB-12. */
  key: string;
  project_id: number;
  summary: string;
  description: string | null;
  status: TicketStatus;
  priority: TicketPriority | null;
  type: TicketType;
  labels: string[];
  assignee_id: string | null;
  reporter_id: string;
  /** The parent ticket of a subtask. */
  parent_id: number | null;
  due_date: string | null;
  resolved_at: string | null;
  comments_count: number;
  created_at: string;
  updated_at: string;
}

export interface Comment {
  id: number;
  ticket_id: number;
  author_id: string;
  body: string;
  public: boolean;
  created_at: string;
  updated_at: string;
}

export interface User {
  /** Slack-style member id: U0…. */
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  email: string | null;
  title: string | null;
  timezone: string;
  role: 'primary_owner' | 'admin' | 'member' | 'guest' | 'bot';
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

export interface Channel {
  /** Slack-style channel id: C0…. */
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  creator_id: string;
  topic: string;
  purpose: string;
  member_count: number;
  created_at: string;
  updated_at: string;
}

/** The whole generated dataset, one array per resource. */
export interface Dataset {
  products: Product[];
  orders: Order[];
  customers: Customer[];
  locations: Location[];
  stock_levels: StockLevel[];
  contacts: Contact[];
  projects: Project[];
  tickets: Ticket[];
  comments: Comment[];
  users: User[];
  channels: Channel[];
}

export type ResourceName = keyof Dataset;
export type ResourceRecord<R extends ResourceName = ResourceName> = Dataset[R][number];

/** Every record has an id and an update time; list routes order by (updated_at, id). */
export interface AnyRecord {
  id: Id;
  updated_at: string;
  [field: string]: unknown;
}

/** How many records of each independent resource to generate; the others derive from them. */
export interface DatasetCounts {
  products: number;
  orders: number;
  customers: number;
  locations: number;
  contacts: number;
  projects: number;
  tickets: number;
  users: number;
  channels: number;
}
