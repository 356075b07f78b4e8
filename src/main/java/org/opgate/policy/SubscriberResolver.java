package org.opgate.policy;

import java.util.List;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;

/**
 * Finds a flow's operator and subscriber, in this order:
 * <ol>
 *   <li>a listener tied to an operator gives that operator (an authenticated MSISDN of another
 *       operator on it is refused as a mismatch);</li>
 *   <li>an authenticated username that is an MSISDN with an operator's prefix gives that operator;</li>
 *   <li>a client address in an operator's pool gives that operator.</li>
 * </ol>
 * Otherwise the flow is refused with the reason; it is never silently assigned. The subscriber
 * id is the username when there is one, else the client address.
 */
public final class SubscriberResolver {

    private final List<Operator> operators;

    public SubscriberResolver(List<Operator> operators) {
        this.operators = List.copyOf(operators);
    }

    /**
     * The outcome: an operator and subscriber, or a refusal.
     *
     * @param operator   operator id, or null when refused
     * @param subscriber subscriber id, or null when refused
     * @param how        how the operator was found ("listener", "msisdn", "pool"), or null
     * @param refusal    why the flow is refused, or null when resolved
     */
    public record Resolution(String operator, String subscriber, String how, String refusal) {
        public boolean resolved() {
            return refusal == null;
        }
    }

    /**
     * @param listener         listener name, for messages
     * @param listenerOperator operator the listener is tied to, or null
     * @param username         authenticated username, or null
     * @param client           client address, or null
     */
    public Resolution resolve(String listener, String listenerOperator, String username, IpAddress client) {
        String subscriber = username != null ? username : client != null ? client.toString() : null;
        Operator byNumber = username == null ? null : byMsisdn(username);
        if (listenerOperator != null) {
            if (byNumber != null && !byNumber.id().equals(listenerOperator)) {
                return refuse("subscriber " + username + " belongs to " + byNumber.id() + " but arrived on listener '"
                        + listener + "' of " + listenerOperator);
            }
            return new Resolution(listenerOperator, subscriber, "listener", null);
        }
        if (byNumber != null) {
            return new Resolution(byNumber.id(), subscriber, "msisdn", null);
        }
        if (client != null) {
            for (Operator o : operators) {
                for (IpPrefix p : o.pools()) {
                    if (p.contains(client)) {
                        return new Resolution(o.id(), subscriber, "pool", null);
                    }
                }
            }
        }
        return refuse("operator unknown: client " + (client == null ? "?" : client) + " is in no operator's pool"
                + (username == null ? "" : ", username " + username + " matches no operator's numbers")
                + " and listener '" + listener + "' names no operator");
    }

    private static Resolution refuse(String reason) {
        return new Resolution(null, null, null, reason);
    }

    /** The operator whose MSISDN prefix matches, for a username in international format (+92300…). */
    public Operator byMsisdn(String username) {
        String digits = username.startsWith("+") ? username.substring(1) : username;
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        Operator best = null;
        int bestLen = 0;
        for (Operator o : operators) {
            for (String prefix : o.msisdnPrefixes()) {
                if (digits.startsWith(prefix) && prefix.length() > bestLen) {
                    best = o;
                    bestLen = prefix.length();
                }
            }
        }
        return best;
    }
}
