package org.mispsentinel.delivery;

/**
 * What Sentinel holds as the state records it, counted in indicators (not their context objects).
 *
 * @param delivered            indicators Sentinel accepted since the inventory began, revocations and re-sends included
 * @param revocationsDelivered of those, revocations
 * @param active               held unrevoked, with no valid_until or one still ahead
 * @param revoked              held revoked
 * @param expiringSoon         active, and their valid_until within the horizon asked for
 */
public record HeldIndicators(long delivered, long revocationsDelivered, long active, long revoked, long expiringSoon) {
}
