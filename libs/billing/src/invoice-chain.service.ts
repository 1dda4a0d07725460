import { Injectable } from '@nestjs/common';
import { notFound } from '@cw/common';
import { BillingRunsRepository } from './billing-runs.repository';
import { BrokenLink, ChainRecord, checkSeries } from './chain-check';
import { InvoicesRepository } from './invoices.repository';

export interface ChainReport {
  ok: boolean;
  /** Records checked, every series together. */
  checked: number;
  firstBroken?: BrokenLink;
  broken: BrokenLink[];
}

const PAGE = 1000;

/** Proves the hash chain of every series of a site: numbers without gaps, content matching hashes, links intact. */
@Injectable()
export class InvoiceChainService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly runs: BillingRunsRepository,
  ) {}

  async verify(siteId: string): Promise<ChainReport> {
    if (!(await this.runs.site(siteId))) throw notFound(`site ${siteId}`);
    const broken: BrokenLink[] = [];
    let checked = 0;
    for (const head of await this.invoices.seriesHeads(siteId)) {
      const records: ChainRecord[] = [];
      for (let after = 0; ;) {
        const page = await this.invoices.seriesPage(siteId, head.series, after, PAGE);
        for (const { invoice, lines } of page) records.push({ invoice, lines, hash: invoice.hash });
        if (page.length < PAGE) break;
        after = page[page.length - 1].invoice.number;
      }
      checked += records.length;
      broken.push(...checkSeries(head, records));
    }
    return broken.length
      ? { ok: false, checked, firstBroken: broken[0], broken }
      : { ok: true, checked, broken };
  }
}
