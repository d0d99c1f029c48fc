package io.cairn.broker.group;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AssignmentTest {

    @Test
    void setOperations() {
        Assignment a = Assignment.of(Map.of("x", List.of(0, 1, 2), "y", List.of(5)));
        Assignment b = Assignment.of(Map.of("x", List.of(2, 3), "z", List.of(1)));
        assertThat(a.union(b)).isEqualTo(Assignment.of(Map.of("x", List.of(0, 1, 2, 3), "y", List.of(5), "z", List.of(1))));
        assertThat(a.minus(b)).isEqualTo(Assignment.of(Map.of("x", List.of(0, 1), "y", List.of(5))));
        assertThat(a.intersect(b)).isEqualTo(Assignment.ofTopic("x", 2));
        assertThat(a.intersects(b)).isTrue();
        assertThat(a.containsAll(Assignment.ofTopic("x", 0, 2))).isTrue();
        assertThat(a.size()).isEqualTo(4);
        assertThat(a.topics()).containsExactly("x", "y");
        assertThat(a.toString()).isEqualTo("{x=[0, 1, 2], y=[5]}");
        assertThat(Assignment.of(Map.of("e", List.of()))).isEqualTo(Assignment.EMPTY);
    }

    @Property
    void behavesLikeASetOfTopicPartitions(@ForAll @Size(max = 20) List<@IntRange(max = 9) Integer> left,
                                          @ForAll @Size(max = 20) List<@IntRange(max = 9) Integer> right) {
        Set<TopicPartition> l = toSet(left);
        Set<TopicPartition> r = toSet(right);
        Assignment a = Assignment.ofPartitions(l);
        Assignment b = Assignment.ofPartitions(r);
        Set<TopicPartition> union = new HashSet<>(l);
        union.addAll(r);
        Set<TopicPartition> minus = new HashSet<>(l);
        minus.removeAll(r);
        Set<TopicPartition> both = new HashSet<>(l);
        both.retainAll(r);
        assertThat(new HashSet<>(a.union(b).toTopicPartitions())).isEqualTo(union);
        assertThat(new HashSet<>(a.minus(b).toTopicPartitions())).isEqualTo(minus);
        assertThat(new HashSet<>(a.intersect(b).toTopicPartitions())).isEqualTo(both);
        assertThat(a.intersects(b)).isEqualTo(!both.isEmpty());
        assertThat(a.containsAll(b)).isEqualTo(l.containsAll(r));
        assertThat(a.size()).isEqualTo(l.size());
        assertThat(a.equals(b)).isEqualTo(l.equals(r));
        if (l.equals(r)) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    /** Values 0-9 become partitions 0-4 of topics "a" and "b". */
    private static Set<TopicPartition> toSet(List<Integer> values) {
        Set<TopicPartition> out = new HashSet<>();
        values.forEach(v -> out.add(new TopicPartition(v < 5 ? "a" : "b", v % 5)));
        return out;
    }
}
