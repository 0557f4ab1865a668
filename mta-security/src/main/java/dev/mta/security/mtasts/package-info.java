/**
 * MTA-STS (RFC 8461) in four pieces: discovery of the {@code _mta-sts} TXT record
 * ({@link dev.mta.security.mtasts.StsTxtRecord}), the policy parser
 * ({@link dev.mta.security.mtasts.StsPolicyParser}), the HTTPS fetch
 * ({@link dev.mta.security.mtasts.StsPolicyFetcher}), and the cache that decides which policy
 * is in force ({@link dev.mta.security.mtasts.StsPolicies}, persisted through a
 * {@link dev.mta.security.mtasts.StsPolicyStore}). MX host names are matched against a policy's
 * patterns by {@link dev.mta.security.mtasts.MxPatterns}.
 */
package dev.mta.security.mtasts;
