package dev.mta.server.admin;

/** Answers the requests of one route. */
@FunctionalInterface
public interface AdminResource {

    /**
     * @throws AdminRequestException to refuse the request with its status and message
     * @throws Exception             anything else is answered 500 and logged
     */
    AdminResponse answer(AdminRequest request) throws Exception;
}
