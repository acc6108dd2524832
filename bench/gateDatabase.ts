import type { Database } from '../platform/database/index.js';
import type { Gate } from './createGate.js';

/** The database with every transaction held at `gate`: a projector on it applies only while the gate is open. */
export function gateDatabase(db: Database, gate: Gate): Database {
  return {
    kind: db.kind,
    query: db.query.bind(db),
    copyRows: db.copyRows.bind(db),
    copyRowsOut: db.copyRowsOut.bind(db),
    async transaction(work) {
      await gate.passed();
      return db.transaction(work);
    },
    close: () => db.close(),
  };
}
