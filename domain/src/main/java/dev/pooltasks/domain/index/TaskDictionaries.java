package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The repeated values of an index's tasks, each kept once: pools (id and name as a task reports them), scripts, the
 * lists of scripts tasks ran, commands and statuses (any value, known to the domain or not).
 */
final class TaskDictionaries {
    /** A pool as a task names it; the same id may come with another name (a renamed pool) or none. */
    record Pool(String id, String name) {
        // Written out, not generated: see TaskStatus.
        @Override
        public boolean equals(Object o) {
            return o instanceof Pool other && Objects.equals(id, other.id) && Objects.equals(name, other.name);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(id) + Objects.hashCode(name);
        }
    }

    /** A task's command line and shell; both null for a task that ran scripts. */
    record Command(String content, CommandType type) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Command other && Objects.equals(content, other.content)
                    && Objects.equals(type, other.type);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(content) + Objects.hashCode(type);
        }
    }

    final ValueDictionary<Pool> pools;
    /** The pools' ids, which the {@code desktop_pool_id} filter selects by. */
    final ValueDictionary<String> poolIds;
    final ValueDictionary<Script> scripts;
    final ValueDictionary<List<Script>> scriptLists;
    final ValueDictionary<Command> commands;
    final ValueDictionary<TaskStatus> statuses;

    TaskDictionaries() {
        this(new ValueDictionary<>(), new ValueDictionary<>(), new ValueDictionary<>(), new ValueDictionary<>(),
                new ValueDictionary<>(), new ValueDictionary<>());
    }

    private TaskDictionaries(ValueDictionary<Pool> pools, ValueDictionary<String> poolIds,
                             ValueDictionary<Script> scripts, ValueDictionary<List<Script>> scriptLists,
                             ValueDictionary<Command> commands, ValueDictionary<TaskStatus> statuses) {
        this.pools = pools;
        this.poolIds = poolIds;
        this.scripts = scripts;
        this.scriptLists = scriptLists;
        this.commands = commands;
        this.statuses = statuses;
    }

    TaskDictionaries copy() {
        return new TaskDictionaries(pools.copy(), poolIds.copy(), scripts.copy(), scriptLists.copy(),
                commands.copy(), statuses.copy());
    }

    int pool(ScriptExecutionTask task) {
        int before = pools.size();
        int code = pools.code(new Pool(task.desktopPoolId(), task.desktopPoolName()));
        if (code == before) {
            poolIds.code(task.desktopPoolId());
        }
        return code;
    }

    int scriptList(ScriptExecutionTask task) {
        int before = scriptLists.size();
        int code = scriptLists.code(task.scripts());
        if (code == before) {
            task.scripts().forEach(scripts::code);
        }
        return code;
    }

    int command(ScriptExecutionTask task) {
        return commands.code(new Command(task.commandContent(), task.commandType()));
    }

    int status(ScriptExecutionTask task) {
        return statuses.code(task.status());
    }

    // Arrays derived for the hot paths of building postings and answering queries.

    int[] poolIdOfPool() {
        int[] ids = new int[pools.size()];
        for (int pool = 0; pool < ids.length; pool++) {
            ids[pool] = poolIds.find(pools.value(pool).id());
        }
        return ids;
    }

    int[][] scriptsOfList() {
        int[][] codes = new int[scriptLists.size()][];
        for (int list = 0; list < codes.length; list++) {
            codes[list] = scriptLists.value(list).stream().mapToInt(scripts::find).toArray();
        }
        return codes;
    }

    /** The code of the empty script list, or -1 when every task ran scripts. */
    int emptyScriptList() {
        return scriptLists.find(List.of());
    }

    /** Whether each command has a command line: with no scripts, that makes a COMMAND task. */
    boolean[] commandsWithContent() {
        boolean[] withContent = new boolean[commands.size()];
        for (int command = 0; command < withContent.length; command++) {
            withContent[command] = commands.value(command).content() != null;
        }
        return withContent;
    }

    /** Each script's name in lower case, as {@link dev.pooltasks.domain.query.TaskQuery#nameMatches} compares it. */
    String[] lowerCaseScriptNames() {
        String[] names = new String[scripts.size()];
        for (int script = 0; script < names.length; script++) {
            names[script] = scripts.value(script).name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
