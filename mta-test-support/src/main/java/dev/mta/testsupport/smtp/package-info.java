/**
 * SMTP on loopback for tests: a blocking client that speaks exactly what a test tells it to
 * (including malformed bytes), and a recording receiver for delivery tests.
 */
package dev.mta.testsupport.smtp;
