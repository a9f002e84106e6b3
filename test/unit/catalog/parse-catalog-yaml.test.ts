import { describe, expect, it } from 'vitest';
import { CatalogValidationError, parseCatalogYaml, type CatalogIssue } from '../../../shared/domain/catalog';
import { SAMPLE_CATALOG_YAML } from '../../helpers/factories';

const issuesOf = (text: string): CatalogIssue[] => {
  try {
    parseCatalogYaml(text);
  } catch (error) {
    if (error instanceof CatalogValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the YAML to be rejected');
};

describe('parseCatalogYaml', () => {
  it('parses the sample catalog into a plain document', () => {
    // Act
    const doc = parseCatalogYaml(SAMPLE_CATALOG_YAML) as { version: number; zones: Record<string, string[]> };

    // Assess
    expect(doc.version).toBe(1);
    expect(doc.zones.transatlantic).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('reports a tab used as indentation with its line', () => {
    const issues = issuesOf('version: 1\nzones:\n\tglobal: [us-east-1]\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('line 3');
    expect(issues[0]?.message).toMatch(/^Tabs are not allowed as indentation/);
  });

  it('reports a key given twice with the line of the repeat', () => {
    const issues = issuesOf('version: 1\ndescription: a\nversion: 2\n');
    expect(issues).toEqual([
      expect.objectContaining({ path: 'line 3', message: expect.stringMatching(/^Map keys must be unique/) }),
    ]);
  });

  it('keeps only the first line of the parser message', () => {
    const issues = issuesOf('routes: [a, b\nzones: x\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => !i.message.includes('\n') && /^line \d+$/.test(i.path))).toBe(true);
  });
});
