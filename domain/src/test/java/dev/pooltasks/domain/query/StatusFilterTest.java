package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.TaskStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StatusFilterTest {

    @ParameterizedTest(name = "{0} is asked for as {1}")
    @CsvSource({"FINISH, SUCCESS", "FAILED, FAILED", "RUNNING, RUNNING", "INIT, WAITING"})
    void eachTaskStatusHasTheDocumentedFilterValueThatSelectsIt(String status, String filter) {
        TaskStatus taskStatus = new TaskStatus(status);
        assertThat(StatusFilter.documentedValue(taskStatus)).isEqualTo(filter);
        assertThat(StatusFilter.parse(filter)).isEqualTo(taskStatus);
    }
}
