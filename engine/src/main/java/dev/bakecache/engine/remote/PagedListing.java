package dev.bakecache.engine.remote;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A listing that fetches its next page only when the stream reaches it, so a caller that stops
 * early (or a shard with one page) sends no further LIST.
 */
final class PagedListing {

    /** One LIST request; the bucket counts it and names the failure. */
    @FunctionalInterface
    interface PageRequest<P> {
        P send() throws ObjectRequestException;
    }

    private PagedListing() {
    }

    /**
     * @param following the request for the page after the given one, or null after the last page
     * @param objects what a page holds
     */
    static <P, T> Stream<T> stream(PageRequest<P> first, Function<P, PageRequest<P>> following,
                                   Function<P, Iterable<T>> objects) {
        Iterator<P> pages = new Iterator<>() {
            private PageRequest<P> next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public P next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                try {
                    P page = next.send();
                    next = following.apply(page);
                    return page;
                } catch (ObjectRequestException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false)
                .flatMap(page -> StreamSupport.stream(objects.apply(page).spliterator(), false));
    }
}
