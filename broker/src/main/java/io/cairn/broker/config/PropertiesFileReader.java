package io.cairn.broker.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a Java properties file (UTF-8) keeping the line number of every entry, so an error can
 * say "file /etc/cairn.properties line 12". Each logical line (a line plus its backslash
 * continuations) is handed to {@link Properties#load(java.io.Reader)}, so escapes, separators and
 * continuations behave exactly as in any Java properties file. Stateless.
 */
final class PropertiesFileReader {

    /** One {@code key=value} entry and the line it starts on (1-based). */
    record Entry(String key, String value, int line) {
    }

    private PropertiesFileReader() {
    }

    static List<Entry> read(Path file) throws ConfigException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e, e);
        }
        return parse(text, file);
    }

    static List<Entry> parse(String text, Path file) throws ConfigException {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int startLine = i + 1;
            i++;
            String stripped = line.stripLeading();
            if (stripped.isEmpty() || stripped.charAt(0) == '#' || stripped.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder(line);
            String last = line;
            while (endsWithContinuation(last) && i < lines.length) {
                last = lines[i++];
                logical.append('\n').append(last);
            }
            Properties props = new Properties();
            try {
                props.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("config file " + file + " line " + startLine + " is malformed: " + e.getMessage(), e);
            }
            for (String key : props.stringPropertyNames()) {
                entries.add(new Entry(key, props.getProperty(key), startLine));
            }
        }
        return entries;
    }

    /** An odd number of trailing backslashes continues the line; an even number is escaped backslashes. */
    private static boolean endsWithContinuation(String line) {
        int n = 0;
        for (int j = line.length() - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
            n++;
        }
        return (n & 1) == 1;
    }
}
