package vn.zalogateway.floor;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The floor app's one entity (the benchmark creates its table). */
@Entity
@Table(name = "floor_items")
public class Item extends PanacheEntityBase {

    @Id
    public long id;

    public String name;
}
