package cn.beijing.scienceedu.simulator;

/** The bearer token a simulated bureau presents to the hub (tests register one minted by TestTokens). */
@FunctionalInterface
public interface BureauTokens {
    String tokenFor(String unit);
}
