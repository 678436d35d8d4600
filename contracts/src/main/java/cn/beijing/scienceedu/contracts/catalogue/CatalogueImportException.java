package cn.beijing.scienceedu.contracts.catalogue;

/**
 * A notice (or overlay) the importer cannot turn into a catalogue. The message names the measure or
 * line at fault, so callers can show it as is (the task-service answers it as a 400 problem detail).
 */
public class CatalogueImportException extends RuntimeException {

  public CatalogueImportException(String message) {
    super(message);
  }

  public CatalogueImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
