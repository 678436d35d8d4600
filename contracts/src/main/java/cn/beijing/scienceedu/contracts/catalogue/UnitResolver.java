package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the short names the measures use (市教委) to the notice's issuers (北京市教育委员会) and gives each
 * issuer its unit code. A short name matches an issuer when its characters appear in order in the full
 * name (市教委 in 北京市教育委员会); the overlay settles the rest (市少工委) and supplies codes.
 */
final class UnitResolver {

  private final List<String> issuers;
  private final List<String> codes = new ArrayList<>();
  private final Map<String, Integer> overlayNames = new HashMap<>();
  private final Map<Integer, CatalogueOverlay.UnitEntry> overlayByIssuer = new HashMap<>();
  private final Map<Integer, Set<String>> seenNames = new HashMap<>();

  UnitResolver(List<String> issuers, CatalogueOverlay overlay) {
    this.issuers = issuers;
    for (CatalogueOverlay.UnitEntry entry : overlay.units()) {
      int issuer = entry.issuer() != null ? exactIssuer(entry.issuer()) : derive(entry.shortName());
      if (issuer < 0) {
        continue; // an overlay may carry units of other notices
      }
      overlayByIssuer.putIfAbsent(issuer, entry);
      if (entry.shortName() != null) {
        overlayNames.put(Names.normalize(entry.shortName()), issuer);
      }
      if (entry.aliases() != null) {
        entry.aliases().forEach(alias -> overlayNames.put(Names.normalize(alias), issuer));
      }
    }
    Set<String> used = new java.util.HashSet<>();
    for (int i = 0; i < issuers.size(); i++) {
      CatalogueOverlay.UnitEntry entry = overlayByIssuer.get(i);
      // fallback code: stable within one notice (issuer order), valid as an identifier
      String code = entry != null && entry.code() != null ? entry.code() : String.format("U%02d", i + 1);
      if (!used.add(code)) {
        throw new CatalogueImportException("unit code " + code + " is given to two issuers (second: " + issuers.get(i) + ")");
      }
      codes.add(code);
    }
  }

  /** The code of the unit a measure names; fails naming the measure and the unit when there is none. */
  String resolve(String rawName, int measureNo) {
    String name = Names.normalize(rawName);
    Integer issuer = overlayNames.get(name);
    if (issuer == null) {
      issuer = derive(name);
    }
    if (issuer == -2) {
      throw new CatalogueImportException("measure " + measureNo + ": responsible unit '" + rawName
          + "' matches several issuers; name its issuer in the overlay");
    }
    if (issuer < 0) {
      throw new CatalogueImportException("measure " + measureNo + ": unknown responsible unit '" + rawName
          + "' (matches no issuer of the notice and is not in the overlay)");
    }
    seenNames.computeIfAbsent(issuer, i -> new LinkedHashSet<>()).add(rawName);
    return codes.get(issuer);
  }

  /** One unit per issuer, in issuer order. */
  List<Unit> units() {
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < issuers.size(); i++) {
      CatalogueOverlay.UnitEntry entry = overlayByIssuer.get(i);
      Set<String> seen = seenNames.getOrDefault(i, Set.of());
      String shortName = !seen.isEmpty() ? Names.normalize(seen.iterator().next())
          : entry != null && entry.shortName() != null ? Names.normalize(entry.shortName())
          : issuers.get(i);
      Set<String> aliases = new LinkedHashSet<>();
      aliases.add(shortName);
      aliases.addAll(seen);
      if (entry != null && entry.aliases() != null) {
        aliases.addAll(entry.aliases());
      }
      units.add(new Unit(codes.get(i), shortName, issuers.get(i), new ArrayList<>(aliases))
          .nameEn(entry != null ? entry.nameEn() : null));
    }
    return units;
  }

  private int exactIssuer(String fullName) {
    String wanted = Names.normalize(fullName);
    for (int i = 0; i < issuers.size(); i++) {
      if (Names.normalize(issuers.get(i)).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  /** Issuer index for a short name: exact, else the one issuer containing it as a subsequence; -1 none, -2 several. */
  private int derive(String shortName) {
    if (shortName == null) {
      return -1;
    }
    int exact = exactIssuer(shortName);
    if (exact >= 0) {
      return exact;
    }
    String name = Names.normalize(shortName);
    int found = -1;
    for (int i = 0; i < issuers.size(); i++) {
      if (isSubsequence(name, Names.normalize(issuers.get(i)))) {
        if (found >= 0) {
          return -2;
        }
        found = i;
      }
    }
    return found;
  }

  private static boolean isSubsequence(String shortName, String fullName) {
    int at = 0;
    for (int i = 0; i < shortName.length(); i++) {
      at = fullName.indexOf(shortName.charAt(i), at);
      if (at < 0) {
        return false;
      }
      at++;
    }
    return true;
  }
}
