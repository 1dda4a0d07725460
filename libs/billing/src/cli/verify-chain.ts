import { AppConfig, loadConfig } from '@cw/config';
import { openDatabase } from '@cw/database';
import { BillingRunsRepository } from '../billing-runs.repository';
import { InvoiceChainService } from '../invoice-chain.service';
import { InvoicesRepository } from '../invoices.repository';

/** `npm run billing:verify -- --site X [--site Y]`; without --site, every site. Exit 0 intact, 2 broken, 1 failed. */
function sitesFromArgs(argv: string[]): string[] {
  const sites: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--site' && argv[i + 1]) sites.push(argv[++i]);
    else if (argv[i].startsWith('--site=')) sites.push(argv[i].slice('--site='.length));
    else throw new Error(`unknown argument ${argv[i]} (usage: --site <id>)`);
  }
  return sites;
}

async function main(): Promise<number> {
  const requested = sitesFromArgs(process.argv.slice(2));
  const db = await openDatabase(new AppConfig(loadConfig()));
  try {
    const runs = new BillingRunsRepository(db);
    const chain = new InvoiceChainService(new InvoicesRepository(db), runs);
    const sites = requested.length ? requested : await runs.siteIds();
    let broken = false;
    for (const site of sites) {
      const report = await chain.verify(site);
      broken ||= !report.ok;
      console.log(JSON.stringify({ site, ...report }));
    }
    return broken ? 2 : 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`billing:verify failed: ${error.message}`);
    process.exit(1);
  },
);
