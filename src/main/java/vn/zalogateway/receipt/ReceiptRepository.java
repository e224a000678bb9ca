package vn.zalogateway.receipt;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ReceiptRepository implements PanacheRepositoryBase<Receipt, Long> {
}
