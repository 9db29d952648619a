package org.vfzone.estate;

/** Applies the rows of one estate file through the inventory services, in the import's transaction. */
interface RowImporter {

    EstateImport.File file();

    /** Applies one row: what it created, updated or found unchanged; a refusal is a RuleViolation naming its field. */
    RowAction apply(EstateCsv.Row row);
}
