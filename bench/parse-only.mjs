// The baseline: what a bare @asyncapi/parser parse of the spec costs, as a process of its own.
import { fromFile, Parser } from '@asyncapi/parser';

const { document } = await fromFile(new Parser(), process.argv[2] ?? 'asyncapi.yaml').parse();
if (!document) process.exit(1);
