// Report export: wired to core/report when it lands.
import type { ReportFormat } from '../../core/contract/protocol';

export const REPORT_FORMATS: ReportFormat[] = [];

export async function exportReport(_format: ReportFormat): Promise<string | null> {
  return null;
}
