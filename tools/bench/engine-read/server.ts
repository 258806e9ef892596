// A testkit shop API in its own process, so the reader's memory is measured alone. Prints its URL, then serves
// until stdin closes.
import { startTestApi } from '@pullpush/testkit';

const orders = Number(process.argv[2] ?? 100_000);
const api = await startTestApi({ seed: 7, dataset: { orders, customers: 1000, products: 200 }, auth: { kind: 'bearer', token: 'bench-token-0123456789' } });
process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void api.close().then(() => process.exit(0)));
