package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** The sandbox project's desktop pools, script library and usual ad-hoc commands, drawn from the seed. */
final class SandboxCatalogue {

    record Pool(String id, String name, boolean windows, int desktopCount) {
    }

    record LibraryScript(Script script, boolean windows) {
    }

    record Command(String content, CommandType type) {
    }

    private static final String[][] POOLS = {
            {"finance-win11", "W"}, {"callcenter-win10", "W"}, {"design-win11-gpu", "W"}, {"hr-win11", "W"},
            {"training-win10", "W"}, {"dev-ubuntu2204", "L"}, {"ops-euleros", "L"}, {"testlab-ubuntu2004", "L"},
    };
    private static final String[] WINDOWS_SCRIPTS = {
            "Install Chrome", "Install 7-Zip", "Update Microsoft Edge", "Clear temp files", "Reset Windows Update",
            "Install Office 365", "Set time zone to UTC+8", "Map network drive", "Install VPN client",
            "Rotate local admin password", "Enable BitLocker", "Install Windows updates", "Restart print spooler",
            "Collect event logs", "Uninstall Java 8", "Deploy antivirus signatures",
    };
    private static final String[] LINUX_SCRIPTS = {
            "Install Chrome (deb)", "Update apt packages", "Clear tmp directory", "Install VS Code",
            "Configure NTP", "Mount NFS share", "Rotate journal logs", "Install Docker", "Harden SSH config",
            "Collect system logs",
    };
    private static final Command[] WINDOWS_COMMANDS = {
            new Command("ipconfig /flushdns", CommandType.BAT),
            new Command("gpupdate /force", CommandType.BAT),
            new Command("shutdown /r /t 60", CommandType.BAT),
            new Command("Get-Service wuauserv | Restart-Service", CommandType.POWERSHELL),
            new Command("Clear-RecycleBin -Force", CommandType.POWERSHELL),
            new Command("Get-ChildItem $env:TEMP -Recurse | Remove-Item -Force -Recurse", CommandType.POWERSHELL),
    };
    private static final Command[] LINUX_COMMANDS = {
            new Command("sudo apt-get update && sudo apt-get -y upgrade", CommandType.SHELL),
            new Command("systemctl restart sssd", CommandType.SHELL),
            new Command("df -h / && du -sh /tmp", CommandType.SHELL),
            new Command("sudo reboot", CommandType.SHELL),
    };

    final List<Pool> pools = new ArrayList<>();
    final List<LibraryScript> scripts = new ArrayList<>();
    final List<Command> commands = new ArrayList<>();

    SandboxCatalogue(SplittableRandom random) {
        for (String[] pool : POOLS) {
            pools.add(new Pool(uuid(random), pool[0], pool[1].equals("W"), 12 + random.nextInt(229)));
        }
        for (String name : WINDOWS_SCRIPTS) {
            scripts.add(new LibraryScript(new Script(uuid(random), name), true));
        }
        for (String name : LINUX_SCRIPTS) {
            scripts.add(new LibraryScript(new Script(uuid(random), name), false));
        }
        commands.addAll(List.of(WINDOWS_COMMANDS));
        commands.addAll(List.of(LINUX_COMMANDS));
    }

    boolean windowsCommand(int index) {
        return index < WINDOWS_COMMANDS.length;
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
