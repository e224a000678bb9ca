package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

/** A delivery receipt as it arrived. Rows are inserted with SQL (ON CONFLICT DO NOTHING); this maps them for reading and matching. */
@Entity
@Table(name = "receipts")
@DynamicUpdate
public class Receipt {

    @Id
    private Long id;
    private String provider;
    private String naturalKey;
    private boolean valid;
    private String problem;
    private String status;
    private Integer code;
    private String message;
    private String requestId;
    private String journeyId;
    private String oaId;
    private Instant sentAt;
    private String costCurrency;
    private BigDecimal costAmount;
    private Integer remainingQuota;
    private Integer dailyQuota;
    @Column(columnDefinition = "text")
    private String ext;
    @Column(columnDefinition = "text")
    private String rawBody;
    private UUID messageId;
    private UUID messageRef;
    private UUID journeyRef;
    private Instant appliedAt;
    private Instant receivedAt;

    protected Receipt() {
        // for Hibernate
    }

    public Long id() {
        return id;
    }

    public ReceiptStatus status() {
        return ReceiptStatus.fromWireName(status).orElseThrow();
    }

    public Integer code() {
        return code;
    }

    public String message() {
        return message;
    }

    public UUID messageId() {
        return messageId;
    }

    public String requestId() {
        return requestId;
    }

    public String journeyId() {
        return journeyId;
    }

    public Instant sentAt() {
        return sentAt;
    }

    public String costCurrency() {
        return costCurrency;
    }

    public BigDecimal costAmount() {
        return costAmount;
    }

    public String ext() {
        return ext;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public Instant appliedAt() {
        return appliedAt;
    }
}
