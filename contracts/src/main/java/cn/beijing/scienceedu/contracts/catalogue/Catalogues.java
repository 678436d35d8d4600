package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed catalogue: the notice of 2024-12-24 and its overlay, both read from the classpath. */
public final class Catalogues {

  public static final String DEFAULT_POLICY_ID = "bj-sciedu-20-2024";
  public static final String NOTICE_RESOURCE = "catalogue/notice-2024-12-24.txt";
  public static final String OVERLAY_RESOURCE = "catalogue/overlay.yaml";

  private Catalogues() {
  }

  /** A fresh import on each call: the generated models are mutable, so callers get their own copy. */
  public static Policy defaultPolicy() {
    return new NoticeImporter().importNotice(noticeText(), defaultOverlay());
  }

  /** The committed notice text (UTF-8), as published. */
  public static String noticeText() {
    try (InputStream in = open(NOTICE_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CatalogueOverlay defaultOverlay() {
    return CatalogueOverlay.read(open(OVERLAY_RESOURCE));
  }

  private static InputStream open(String resource) {
    InputStream in = Catalogues.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + resource);
    }
    return in;
  }
}
